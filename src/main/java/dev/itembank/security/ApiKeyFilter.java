package dev.itembank.security;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ProblemType;
import dev.itembank.api.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <key>}, checks the role the request needs ({@link AccessPolicy}) and
 * the rate limits, and answers 401, 403 and 429 as problems that say no more than what was missing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyFilter extends OncePerRequestFilter {

    /** Request attribute holding the authenticated key, for controllers that want to know who asked. */
    static final String KEY_ATTRIBUTE = ApiKeyFilter.class.getName() + ".key";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ApiKeys keys;
    private final SecurityProperties properties;
    private final RateLimiter limiter;

    ApiKeyFilter(ApiKeys keys, SecurityProperties properties, RateLimiter limiter) {
        this.keys = keys;
        this.properties = properties;
        this.limiter = limiter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        AccessPolicy.Requirement requirement = AccessPolicy.of(request.getMethod(), path);
        if (requirement.role() == null) {
            chain.doFilter(request, response);
            return;
        }
        String presented = bearer(request);
        String client;
        if (presented == null) {
            if (!(properties.anonymousRead() && requirement.role() == Role.READER)) {
                deny(response, ProblemType.UNAUTHORIZED, "This request needs an API key: send Authorization: Bearer "
                        + "<key>", path);
                return;
            }
            client = "anonymous/" + request.getRemoteAddr();
        } else {
            Optional<ApiKeys.StoredKey> key;
            try {
                key = keys.authenticate(presented);
            } catch (org.springframework.dao.DataAccessException e) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "5");
                deny(response, ProblemType.SERVICE_UNAVAILABLE, Problems.DATABASE_UNAVAILABLE, path);
                return;
            }
            if (key.isEmpty()) {
                deny(response, ProblemType.UNAUTHORIZED, "The API key is not valid (unknown or revoked)", path);
                return;
            }
            if (!key.get().role().includes(requirement.role())) {
                deny(response, ProblemType.FORBIDDEN, "This request needs the " + requirement.role().code()
                        + " role; the key has " + key.get().role().code(), path);
                return;
            }
            request.setAttribute(KEY_ATTRIBUTE, key.get());
            client = key.get().id().toString();
        }
        long wait = limiter.acquire(client, requirement.limit());
        if (wait > 0) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            deny(response, ProblemType.TOO_MANY_REQUESTS, "Rate limit of " + (requirement.limit()
                    == AccessPolicy.Limit.ESTIMATES ? properties.rateLimits().estimatesPerSecond() + " estimates per "
                    + "second" : properties.rateLimits().uploadsPerMinute() + " uploads per minute")
                    + " reached; retry after " + wait + " s", path);
            return;
        }
        chain.doFilter(request, response);
    }

    private static String bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = header.substring(7).strip();
        return key.isEmpty() ? null : key;
    }

    private static void deny(HttpServletResponse response, ProblemType type, String detail, String path)
            throws IOException {
        if (type == ProblemType.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"itembank\"");
        }
        Map<String, Object> problem = Problems.asMap(type, detail, path, Map.of());
        response.setStatus(type.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(problem));
    }
}
