package dev.itembank.api;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 responses from the {@link ProblemType} registry. */
public final class Problems {

    /** The detail of every 503 for an unreachable database. */
    public static final String DATABASE_UNAVAILABLE = "The database is not reachable; nothing was written. Retry later.";

    private Problems() {
    }

    public static ProblemDetail of(ProblemType type, String detail, String instance, Map<String, ?> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        if (instance != null) {
            problem.setInstance(URI.create(instance));
        }
        properties.forEach(problem::setProperty);
        return problem;
    }

    /**
     * The same problem as a plain map (type, title, status, detail, instance, then the extension members), for
     * places that write JSON themselves: a servlet filter, a failed job's stored error.
     */
    public static Map<String, Object> asMap(ProblemType type, String detail, String instance,
            Map<String, ?> properties) {
        Map<String, Object> problem = new java.util.LinkedHashMap<>();
        problem.put("type", type.uri().toString());
        problem.put("title", type.title());
        problem.put("status", type.status().value());
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        problem.putAll(properties);
        return problem;
    }

    public static ResponseEntity<ProblemDetail> response(ProblemDetail problem, HttpHeaders headers) {
        return ResponseEntity.status(problem.getStatus())
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** Puts a framework-made problem under the registry's type and title, keeping its status and detail. */
    static ProblemDetail registered(ProblemDetail problem) {
        ProblemType type = ProblemType.forStatus(problem.getStatus());
        problem.setType(type.uri());
        problem.setTitle(type.title());
        return problem;
    }
}
