package dev.itembank.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.itembank.api.ProblemType;
import dev.itembank.api.Problems;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <key>}. A request without a key goes on anonymous (the authorization
 * rules then decide); one with a key that is unknown or revoked is marked, reaches only the open endpoints and is
 * otherwise a 401 saying the key is not valid; a key lookup that cannot reach the database is a 503. Not a bean: it runs only inside the security filter chain.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    /** Request attribute set when the request presented a key that is unknown or revoked. */
    static final String INVALID_KEY = ApiKeyAuthenticationFilter.class.getName() + ".invalid";

    private static final RequestMatcher OPEN = new OrRequestMatcher(java.util.Arrays.stream(SecurityConfiguration.OPEN)
            .map(pattern -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(pattern)).toList());
    private final ApiKeys keys;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return OPEN.matches(request);
    }

    ApiKeyAuthenticationFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = bearer(request);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiKeys.StoredKey> key;
        try {
            key = keys.authenticate(presented);
        } catch (DataAccessException e) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            ProblemResponses.write(request, response, ProblemType.SERVICE_UNAVAILABLE, Problems.DATABASE_UNAVAILABLE);
            return;
        }
        if (key.isEmpty()) {
            // open endpoints (health, the API description) still answer; everything else is a 401 that says why
            request.setAttribute(INVALID_KEY, Boolean.TRUE);
            chain.doFilter(request, response);
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new ApiKeyAuthentication(key.get()));
        contexts.setContext(context);
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
}
