package dev.itembank.benchmarks;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Upload settings ({@code itembank.uploads.*}).
 *
 * @param maxSize largest accepted body, before and after gzip decompression; larger ones get 413
 */
@Validated
@ConfigurationProperties("itembank.uploads")
record UploadProperties(@NotNull @DefaultValue("512MB") DataSize maxSize) {
}
