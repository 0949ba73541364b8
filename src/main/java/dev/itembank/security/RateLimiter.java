package dev.itembank.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.stereotype.Component;

/**
 * Token buckets per client and limit (Bucket4j), held by each instance: with n replicas behind a balancer a
 * client gets up to n times the budget, which bounds load per instance - what the limit is for.
 */
@Component
class RateLimiter {

    /** The rate limit a request counts against. */
    enum Limit { NONE, ESTIMATES, UPLOADS }

    private final SecurityProperties.RateLimits limits;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(SecurityProperties properties) {
        this.limits = properties.rateLimits();
    }

    /** Takes one token; returns 0 when granted, else the seconds until one is available (at least 1). */
    long acquire(String client, Limit limit) {
        return acquire(client, limit, 1);
    }

    /** Takes {@code tokens} at once (all or none); 0 when granted, else the seconds until they are available. */
    long acquire(String client, Limit limit, int tokens) {
        if (limit == Limit.NONE) {
            return 0;
        }
        Bucket bucket = buckets.computeIfAbsent(limit + "/" + client, key -> Bucket.builder()
                .addLimit(limit == Limit.ESTIMATES
                        ? Bandwidth.builder().capacity(limits.estimatesPerSecond())
                                .refillGreedy(limits.estimatesPerSecond(), Duration.ofSeconds(1)).build()
                        : Bandwidth.builder().capacity(limits.uploadsPerMinute())
                                .refillGreedy(limits.uploadsPerMinute(), Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
        return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }
}
