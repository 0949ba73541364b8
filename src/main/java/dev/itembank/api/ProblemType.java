package dev.itembank.api;

import java.net.URI;
import java.util.Arrays;

import org.springframework.http.HttpStatus;

/**
 * The one registry of RFC 9457 problem types that Itembank answers with. Each has a stable {@code type} URI, a
 * fixed {@code title} and the HTTP status it goes with; the {@code detail} of each response says what was
 * wrong and where. Clients may switch on {@link #uri()}.
 */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", "Malformed request", HttpStatus.BAD_REQUEST),
    UNAUTHORIZED("unauthorized", "Authentication required", HttpStatus.UNAUTHORIZED),
    FORBIDDEN("forbidden", "Not allowed", HttpStatus.FORBIDDEN),
    NOT_FOUND("not-found", "Resource not found", HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE),
    CONFLICT("conflict", "Conflict", HttpStatus.CONFLICT),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", HttpStatus.CONTENT_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    INVALID_REQUEST("invalid-request", "Invalid request", HttpStatus.UNPROCESSABLE_CONTENT),
    INVALID_UPLOAD("invalid-upload", "Invalid upload", HttpStatus.UNPROCESSABLE_CONTENT),
    TOO_MANY_REQUESTS("too-many-requests", "Too many requests", HttpStatus.TOO_MANY_REQUESTS),
    INTERNAL_ERROR("internal-error", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR),
    SERVICE_UNAVAILABLE("service-unavailable", "Service unavailable", HttpStatus.SERVICE_UNAVAILABLE);

    /** Base of every problem type URI; the README lists the types. */
    public static final String BASE_URI = "https://itembank.dev/problems/";

    private final URI uri;
    private final String title;
    private final HttpStatus status;

    ProblemType(String slug, String title, HttpStatus status) {
        this.uri = URI.create(BASE_URI + slug);
        this.title = title;
        this.status = status;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    public HttpStatus status() {
        return status;
    }

    /** The registered type for a status that a framework produced, or {@link #INTERNAL_ERROR} for an unknown 5xx. */
    public static ProblemType forStatus(int status) {
        return Arrays.stream(values())
                .filter(type -> type.status.value() == status)
                .findFirst()
                .orElse(status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST);
    }
}
