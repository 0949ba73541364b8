package dev.itembank.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.lang.Nullable;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every exception that reaches Spring MVC to an RFC 9457 problem response with a registered type. A client
 * mistake is never a 500; an unexpected exception is logged with a reference id and answered without internals.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** The parameter Tomcat names in its message about a query value it cannot decode. */
    private static final java.util.regex.Pattern TOMCAT_PARAMETER = java.util.regex.Pattern.compile(
            "Parameter \\[([\\w.-]{1,64})\\]");
    private final org.springframework.context.ApplicationEventPublisher events;

    ApiExceptionHandler(org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApiException(ApiException ex, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (ex.properties().get("retryAfterSeconds") instanceof Number seconds) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds.longValue()));
        }
        return Problems.response(
                Problems.of(ex.type(), ex.getMessage(), request.getRequestURI(), ex.properties()), headers);
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
            TransientDataAccessException.class, org.springframework.transaction.CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception ex, HttpServletRequest request) {
        log.warn("Database unavailable while serving {} {}: {}", request.getMethod(), request.getRequestURI(),
                ex.getMessage());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return Problems.response(Problems.of(ProblemType.SERVICE_UNAVAILABLE, Problems.DATABASE_UNAVAILABLE,
                request.getRequestURI(), Map.of()), headers);
    }

    /** Constraints on query parameters and path variables ({@code limit=0}): a 422 naming each parameter. */
    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> handleConstraintViolation(jakarta.validation.ConstraintViolationException ex,
            HttpServletRequest request) {
        List<Map<String, Object>> errors = ex.getConstraintViolations().stream()
                .map(v -> Map.<String, Object>of("field", lastNode(v.getPropertyPath().toString()),
                        "message", v.getMessage()))
                .toList();
        return Problems.response(Problems.of(ProblemType.INVALID_REQUEST, "Invalid request: " + String.join("; ",
                errors.stream().map(e -> e.get("field") + " " + e.get("message")).toList()), request.getRequestURI(),
                Map.of("errors", errors)), new HttpHeaders());
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    @ExceptionHandler(DamagedDataException.class)
    ResponseEntity<ProblemDetail> handleDamagedData(DamagedDataException ex, HttpServletRequest request) {
        log.error("Damaged data found while serving {} {}: {}", request.getMethod(), request.getRequestURI(),
                ex.getMessage());
        events.publishEvent(new DamagedDataException.DamagedDataDetected(ex.what(), ex.getMessage()));
        return Problems.response(Problems.of(ProblemType.INTERNAL_ERROR, ex.getMessage(), request.getRequestURI(),
                Map.of("damaged", ex.what())), new HttpHeaders());
    }

    /**
     * A query string Tomcat cannot decode (a percent-encoded byte sequence that is not UTF-8, such as {@code %FF}):
     * Tomcat throws when the parameters are first read. A 400 naming the parameter, where Tomcat's message names it.
     */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> handleUndecodableParameter(org.apache.tomcat.util.http.InvalidParameterException ex,
            HttpServletRequest request) {
        java.util.regex.Matcher name = TOMCAT_PARAMETER.matcher(String.valueOf(ex.getMessage()));
        String parameter = name.find() ? name.group(1) : null;
        String detail = "The query string could not be decoded" + (parameter == null ? "" : " at parameter '"
                + parameter + "'") + ": percent-encoded bytes must be UTF-8.";
        return Problems.response(Problems.of(ProblemType.MALFORMED_REQUEST, detail, request.getRequestURI(),
                parameter == null ? Map.of() : Map.of("parameter", parameter)), new HttpHeaders());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception ex, HttpServletRequest request) {
        if (lostDatabaseConnection(ex)) {
            return handleDatabaseUnavailable(ex, request);
        }
        String corruption = storageCorruption(ex);
        if (corruption != null) {
            return handleDamagedData(new DamagedDataException(request.getRequestURI(), "PostgreSQL reports: "
                    + corruption), request);
        }
        if (unstorableText(ex)) {
            // the last line of defence: parsers reject these with the line and item, other fields land here
            return Problems.response(Problems.of(ProblemType.INVALID_REQUEST, "The request holds text PostgreSQL "
                    + "cannot store (a NUL character or an invalid byte sequence); nothing was written.",
                    request.getRequestURI(), Map.of()), new HttpHeaders());
        }
        String reference = UUID.randomUUID().toString();
        log.error("Unexpected error {} while serving {} {}", reference, request.getMethod(),
                request.getRequestURI(), ex);
        return Problems.response(Problems.of(ProblemType.INTERNAL_ERROR,
                "An unexpected error occurred; quote reference " + reference + " when reporting it.",
                request.getRequestURI(), Map.of("reference", reference)), new HttpHeaders());
    }

    /**
     * Whether an exception comes from the database connection going away (SQLSTATE class 08, connection exception,
     * or the pool's and driver's closed-connection errors, anywhere in its causes), as when a rollback fails because
     * the server stopped mid-transaction.
     */
    static boolean lostDatabaseConnection(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && ((sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) || String.valueOf(sql.getMessage()).matches(
                    "(?i).*(connection is closed|connection has been closed|i/o error).*"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * PostgreSQL's message when it reports damaged storage: SQLSTATE XX001 (data corrupted), XX002 (index corrupted)
     * or 58P01 (a relation's file is missing); null otherwise.
     */
    static String storageCorruption(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && java.util.Set.of("XX001", "XX002", "58P01").contains(sql.getSQLState())) {
                return sql.getMessage();
            }
        }
        return null;
    }

    /** SQLSTATE 22021 (character not in repertoire: NUL or invalid UTF-8) or 22P05 (untranslatable character). */
    static boolean unstorableText(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && ("22021".equals(sql.getSQLState())
                    || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = Problems.of(ProblemType.MALFORMED_REQUEST, unreadableDetail(ex), null, Map.of());
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(ApiExceptionHandler::fieldError)
                .toList();
        String detail = errors.isEmpty() ? "The request body is invalid"
                : "Invalid request body: " + String.join("; ",
                        errors.stream().map(e -> e.get("field") + " " + e.get("message")).toList());
        ProblemDetail problem = Problems.of(ProblemType.INVALID_REQUEST, detail, null, Map.of("errors", errors));
        return handleExceptionInternal(ex, problem, headers, ProblemType.INVALID_REQUEST.status(), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> messages = ex.getAllErrors().stream()
                .map(error -> error.getDefaultMessage() == null ? error.toString() : error.getDefaultMessage())
                .toList();
        ProblemDetail problem = Problems.of(ProblemType.INVALID_REQUEST,
                "Invalid request: " + String.join("; ", messages), null, Map.of("errors", messages));
        return handleExceptionInternal(ex, problem, headers, ProblemType.INVALID_REQUEST.status(), request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail
                : ProblemDetail.forStatusAndDetail(statusCode, ex.getMessage());
        problem.setStatus(statusCode.value());
        Problems.registered(problem);
        String path = requestPath(request);
        if (path != null && problem.getInstance() == null) {
            problem.setInstance(URI.create(path));
        }
        return ResponseEntity.status(statusCode).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static Map<String, Object> fieldError(FieldError error) {
        return Map.of("field", error.getField(),
                "message", error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage());
    }

    /** Names the line and column of a JSON syntax error, or the field whose value could not be read. */
    private static String unreadableDetail(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof JacksonException jackson) {
            TokenStreamLocation location = jackson.getLocation();
            String where = location == null ? ""
                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            String path = jackson.getPath() == null || jackson.getPath().isEmpty() ? ""
                    : " (field " + fieldPath(jackson.getPath()) + ")";
            return "The request body could not be read" + where + path + ": " + plain(jackson.getOriginalMessage());
        }
        return "The request body is missing or could not be read";
    }

    /**
     * Jackson's message in the API's words: its first sentence, Java types named as JSON ones ({@code `int`} is "an
     * integer", a class of ours "an object"), without hints about Jackson's own settings.
     */
    static String plain(String message) {
        if (message == null) {
            return "unreadable value";
        }
        java.util.regex.Matcher mismatch = java.util.regex.Pattern.compile(
                "Cannot (?:deserialize|construct instance of|coerce) (?:value of type )?`([^`]+)`.*? from (.+?)(?::.*)?$")
                .matcher(message.split("\\R", 2)[0]);
        if (mismatch.find()) {
            String found = mismatch.group(2).replaceAll("\\s*\\(token `[^`]*`\\)", "")
                    .replaceAll("`[^`]*`", "").strip();
            return "expected " + jsonType(mismatch.group(1)) + ", found " + found;
        }
        String text = message.split("\\R", 2)[0]
                .replaceAll("\\s*\\((?:but could if|enable|set |through reference chain|for Object starting|to allow"
                        + "|or )[^)]*\\)", "")
                .replaceAll("\\s*\\(class [^)]*\\)", "");
        java.util.regex.Matcher types = java.util.regex.Pattern.compile("`([\\w.$\\[\\]<>, ]+)`").matcher(text);
        StringBuilder out = new StringBuilder();
        while (types.find()) {
            types.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(jsonType(types.group(1))));
        }
        types.appendTail(out);
        return out.toString().strip();
    }

    /** A JSON path in the request's terms: {@code models[0].responses}, never Java class names. */
    private static String fieldPath(List<tools.jackson.databind.DatabindException.Reference> path) {
        StringBuilder text = new StringBuilder();
        for (tools.jackson.databind.DatabindException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                text.append(text.length() == 0 ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                text.append('[').append(reference.getIndex()).append(']');
            }
        }
        return text.toString();
    }

    private static String jsonType(String javaType) {
        String simple = javaType.replaceAll("<.*", "").replaceAll(".*[.$]", "");
        return switch (simple) {
            case "int", "Integer", "long", "Long", "short", "Short", "BigInteger" -> "an integer";
            case "double", "Double", "float", "Float", "BigDecimal", "Number" -> "a number";
            case "boolean", "Boolean" -> "a boolean";
            case "String", "UUID", "char", "Character" -> "a string";
            case "List", "ArrayList", "Set", "HashSet", "Collection" -> "an array";
            default -> javaType.startsWith("java.") || javaType.contains(".") || Character.isUpperCase(
                    simple.isEmpty() ? 'a' : simple.charAt(0)) ? "an object" : "'" + javaType + "'";
        };
    }

    @Nullable
    private static String requestPath(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            return servlet.getRequest().getRequestURI();
        }
        if (request instanceof NativeWebRequest nativeRequest
                && nativeRequest.getNativeRequest() instanceof HttpServletRequest http) {
            return http.getRequestURI();
        }
        return null;
    }
}
