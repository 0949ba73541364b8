package dev.itembank.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.itembank.api.ProblemType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts estimates and uploads against their token buckets, per key (per client address for anonymous estimates),
 * after authorisation, on the path as the router matches it (the firewall has already refused any other spelling).
 */
final class RateLimitFilter extends OncePerRequestFilter {

    static final RequestMatcher ESTIMATES = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/v1/subsets/*/estimates"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/v1/subsets/*/estimates/batch"));
    static final RequestMatcher UPLOADS =
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/v1/benchmarks/*/results");

    private final RateLimiter limiter;
    private final SecurityProperties properties;

    RateLimitFilter(RateLimiter limiter, SecurityProperties properties) {
        this.limiter = limiter;
        this.properties = properties;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimiter.Limit limit = ESTIMATES.matches(request) ? RateLimiter.Limit.ESTIMATES
                : UPLOADS.matches(request) ? RateLimiter.Limit.UPLOADS : RateLimiter.Limit.NONE;
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String client = authentication instanceof ApiKeyAuthentication key ? key.key().id().toString()
                : "anonymous/" + request.getRemoteAddr();
        long wait = limiter.acquire(client, limit);
        if (wait > 0) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            ProblemResponses.write(request, response, ProblemType.TOO_MANY_REQUESTS, "Rate limit of "
                    + (limit == RateLimiter.Limit.ESTIMATES
                            ? properties.rateLimits().estimatesPerSecond() + " estimates per second"
                            : properties.rateLimits().uploadsPerMinute() + " uploads per minute")
                    + " reached; retry after " + wait + " s");
            return;
        }
        chain.doFilter(request, response);
    }
}
