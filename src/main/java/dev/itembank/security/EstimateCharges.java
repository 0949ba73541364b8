package dev.itembank.security;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;
import org.springframework.stereotype.Component;

/**
 * Charges a request that carries several estimates (a batch) to the caller's estimate budget: the request itself
 * took one token at the door; the others are taken here, all or none, before anything is computed.
 */
@Component
public class EstimateCharges {

    private final RateLimiter limiter;
    private final SecurityProperties properties;

    EstimateCharges(RateLimiter limiter, SecurityProperties properties) {
        this.limiter = limiter;
        this.properties = properties;
    }

    /** Takes {@code extra} more estimate tokens for the current caller, or answers 429 taking none. */
    public void charge(HttpServletRequest request, int extra) {
        if (extra <= 0) {
            return;
        }
        int capacity = properties.rateLimits().estimatesPerSecond();
        if (extra + 1 > capacity) {
            throw ApiException.invalid("a batch may hold at most " + capacity + " models (the estimate budget per "
                    + "second and key); this one holds " + (extra + 1), Map.of("field", "models", "max", capacity));
        }
        String client = Callers.currentKey().map(Object::toString).orElse("anonymous/" + request.getRemoteAddr());
        long wait = limiter.acquire(client, RateLimiter.Limit.ESTIMATES, extra);
        if (wait > 0) {
            throw new ApiException(ProblemType.TOO_MANY_REQUESTS, "A batch of " + (extra + 1) + " estimates is more "
                    + "than this key's budget of " + properties.rateLimits().estimatesPerSecond() + " estimates per "
                    + "second allows now; retry after " + wait + " s or send smaller batches",
                    Map.of("retryAfterSeconds", wait, "estimates", extra + 1));
        }
    }
}
