package dev.itembank.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client-visible failure: a registered {@link ProblemType}, a detail that says what was wrong and where, and
 * extension members a client can act on. The exception handler turns it into {@code application/problem+json}.
 */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final Map<String, Object> properties;

    public ApiException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ApiException(ProblemType type, String detail, Map<String, ?> properties) {
        super(detail);
        this.type = Objects.requireNonNull(type, "type");
        this.properties = new LinkedHashMap<>(properties);
    }

    public static ApiException notFound(String resource, Object id) {
        return new ApiException(ProblemType.NOT_FOUND, "No " + resource + " '" + id + "'",
                Map.of("resource", resource, "id", String.valueOf(id)));
    }

    public static ApiException invalid(String detail, Map<String, ?> properties) {
        return new ApiException(ProblemType.INVALID_REQUEST, detail, properties);
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, Object> properties() {
        return java.util.Collections.unmodifiableMap(properties);
    }
}
