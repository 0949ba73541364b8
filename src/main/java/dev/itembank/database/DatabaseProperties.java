package dev.itembank.database;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the database feature ({@code itembank.database.*}).
 *
 * @param embedded the embedded PostgreSQL that starts when no {@code spring.datasource.url} is configured
 */
@Validated
@ConfigurationProperties("itembank.database")
public record DatabaseProperties(@Valid @NotNull @DefaultValue Embedded embedded) {

    /**
     * @param dataDirectory where the embedded cluster keeps its files; kept between runs
     * @param port TCP port on loopback; 0 picks a free one at every start
     * @param startupTimeout how long to wait for the server to accept connections
     */
    public record Embedded(
            @NotNull @DefaultValue("./data/postgres") Path dataDirectory,
            @Min(0) @Max(65535) @DefaultValue("0") int port,
            @NotNull @DefaultValue("60s") Duration startupTimeout) {
    }
}
