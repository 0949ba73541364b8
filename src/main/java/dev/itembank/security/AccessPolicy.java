package dev.itembank.security;

/**
 * Which role a request needs, from its method and path: health and the API description are open; the other
 * operational endpoints and key management need an admin; reads and estimates need a reader; every other change
 * needs a writer. Unknown paths need a reader, so that nothing about them is told to a stranger.
 */
final class AccessPolicy {

    /** What a request needs; {@code null} role means open to everyone. */
    record Requirement(Role role, Limit limit) {
    }

    /** The rate limit a request counts against. */
    enum Limit { NONE, ESTIMATES, UPLOADS }

    private AccessPolicy() {
    }

    static Requirement of(String method, String path) {
        if (path.equals("/actuator/health") || path.startsWith("/actuator/health/") || path.startsWith("/v3/api-docs")
                || path.startsWith("/swagger-ui")) {
            return new Requirement(null, Limit.NONE);
        }
        if (path.startsWith("/actuator") || path.equals("/api/v1/api-keys") || path.startsWith("/api/v1/api-keys/")) {
            return new Requirement(Role.ADMIN, Limit.NONE);
        }
        boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        if (method.equals("POST") && path.startsWith("/api/v1/subsets/") && path.endsWith("/estimates")) {
            return new Requirement(Role.READER, Limit.ESTIMATES);
        }
        if (read || !path.startsWith("/api/")) {
            return new Requirement(Role.READER, Limit.NONE);
        }
        boolean upload = method.equals("POST") && path.startsWith("/api/v1/benchmarks/") && path.endsWith("/results");
        return new Requirement(Role.WRITER, upload ? Limit.UPLOADS : Limit.NONE);
    }
}
