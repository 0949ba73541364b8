package dev.itembank.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Access settings ({@code itembank.security.*}).
 *
 * @param adminKey the first admin key (from {@code ITEMBANK_ADMIN_KEY}); at least 32 characters; when empty, an
 *        embedded-mode service generates one at its first start and prints it once
 * @param anonymousRead whether requests without a key may read (GET) and ask for estimates, as public leaderboards
 *        want
 * @param rateLimits per-key request budgets
 */
@Validated
@ConfigurationProperties("itembank.security")
record SecurityProperties(String adminKey, @DefaultValue("false") boolean anonymousRead,
        @Valid @NotNull @DefaultValue RateLimits rateLimits) {

    SecurityProperties {
        if (adminKey != null && !adminKey.isBlank() && adminKey.strip().length() < 32) {
            throw new IllegalArgumentException("itembank.security.admin-key (ITEMBANK_ADMIN_KEY) must have at least "
                    + "32 characters");
        }
    }

    /**
     * Token buckets per API key (or per client address for anonymous estimates): a burst of the given size,
     * refilled at the same rate per second (estimates) or per minute (uploads).
     *
     * @param estimatesPerSecond estimate requests per second and key
     * @param uploadsPerMinute result uploads per minute and key
     */
    record RateLimits(@DefaultValue("100") @Min(1) int estimatesPerSecond,
            @DefaultValue("30") @Min(1) int uploadsPerMinute) {
    }
}
