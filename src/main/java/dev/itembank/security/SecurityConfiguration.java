package dev.itembank.security;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.itembank.api.ProblemType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Who may do what, decided by Spring Security on the path the router routes:
 * <ul>
 * <li>its {@link StrictHttpFirewall} first refuses every path that could be read two ways - path parameters
 * ({@code ;x}), encoded slashes, backslashes and dots, {@code //}, {@code ./} and {@code ../} segments - with a 400
 * problem, so no spelling of a path reaches a controller that the rules below did not see;</li>
 * <li>the rules match with the same path patterns as Spring MVC: health and the API description are open, the
 * Prometheus scrape needs the metrics role (or admin), the other operational endpoints and key management need an
 * admin, reads, estimates and adaptive sessions a reader (or nobody, with {@code itembank.security.anonymous-read}), every other
 * change under {@code /api/} a writer, and anything else a reader, so that nothing about unknown paths is told to a
 * stranger.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    /** Paths open to everyone; a key sent to them is not even looked up (probes keep working without a database). */
    static final String[] OPEN = {"/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**",
        "/swagger-ui.html", "/swagger-ui/**", "/error", "/", "/dashboard/**", "/webjars/echarts/**"};

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys keys, SecurityProperties properties,
            RateLimiter limiter) throws Exception {
        RoleRequired reader = new RoleRequired(Role.READER, properties.anonymousRead());
        RoleRequired writer = new RoleRequired(Role.WRITER, false);
        RoleRequired admin = new RoleRequired(Role.ADMIN, false);
        RoleRequired metrics = new RoleRequired(Role.METRICS, false);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // responses set their own Cache-Control (immutable versions, no-cache for 'latest')
                .headers(headers -> headers.cacheControl(HeadersConfigurer.CacheControlConfig::disable))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(limiter, properties), AuthorizationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(SecurityConfiguration::unauthorized)
                        .accessDeniedHandler(SecurityConfiguration::forbidden))
                .authorizeHttpRequests(rules -> rules
                        // the second dispatch of a streamed answer and the error page belong to a request that was
                        // already authorised on its first dispatch
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(OPEN).permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/prometheus").access(metrics)
                        .requestMatchers(HttpMethod.GET, "/api/v1/me").access((authentication, context) ->
                                new org.springframework.security.authorization.AuthorizationDecision(
                                        authentication.get() instanceof ApiKeyAuthentication))
                        .requestMatchers("/actuator", "/actuator/**").access(admin)
                        .requestMatchers("/api/v1/api-keys", "/api/v1/api-keys/**").access(admin)
                        .requestMatchers(HttpMethod.POST, "/api/v1/subsets/*/estimates",
                                "/api/v1/subsets/*/estimates/batch", "/api/v1/calibrations/*/sessions",
                                "/api/v1/sessions/*/answers").access(reader)
                        .requestMatchers(HttpMethod.GET, "/**").access(reader)
                        .requestMatchers(HttpMethod.HEAD, "/**").access(reader)
                        .requestMatchers(HttpMethod.OPTIONS, "/**").access(reader)
                        .requestMatchers("/api/**").access(writer)
                        .anyRequest().access(reader));
        return http.build();
    }

    /** The default strict firewall, named here so that what it refuses is part of this configuration. */
    @Bean
    HttpFirewall httpFirewall() {
        return new StrictHttpFirewall();
    }

    /**
     * A request the firewall refuses is a problem that names no part of it: a method outside the HTTP methods this API
     * answers (405), a header the service reads with characters that are not allowed (the firewall checks a header
     * when it is read), or a path not in normal form (400). What was refused is told apart by the firewall's message, which is not part of the answer.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (HttpServletRequest request, HttpServletResponse response, RequestRejectedException e) -> {
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("HTTP method")) {
                response.setHeader(HttpHeaders.ALLOW, "GET, HEAD, POST, PUT, DELETE, OPTIONS");
                ProblemResponses.write(request, response, ProblemType.METHOD_NOT_ALLOWED, "The request's method is "
                        + "not one this API answers: GET, HEAD, POST, PUT, DELETE or OPTIONS");
            } else if (reason.contains("header")) {
                ProblemResponses.write(request, response, ProblemType.MALFORMED_REQUEST, "A header name or value "
                        + "holds characters that are not allowed (control characters or characters outside ISO-8859-1)");
            } else {
                ProblemResponses.write(request, response, ProblemType.MALFORMED_REQUEST, "The request path is not in "
                        + "normal form (path parameters ';', encoded '/', '\\\\' or '.', '//', '.' or '..' segments "
                        + "are refused); send the plain path");
            }
        };
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException e) throws IOException {
        ProblemResponses.write(request, response, ProblemType.UNAUTHORIZED,
                request.getAttribute(ApiKeyAuthenticationFilter.INVALID_KEY) != null
                        ? "The API key is not valid (unknown or revoked)"
                        : "This request needs an API key: send Authorization: Bearer <key>");
    }

    private static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        if (request.getAttribute(ApiKeyAuthenticationFilter.INVALID_KEY) != null) {
            unauthorized(request, response, null);
            return;
        }
        String needed = e instanceof AuthorizationDeniedException denied
                && denied.getAuthorizationResult() instanceof RoleRequired.Decision decision
                ? "the " + decision.required().code() + " role" : "a role this key does not have";
        String has = SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication key
                ? "; the key has " + key.key().role().code() : "";
        ProblemResponses.write(request, response, ProblemType.FORBIDDEN, "This request needs " + needed + has);
    }
}
