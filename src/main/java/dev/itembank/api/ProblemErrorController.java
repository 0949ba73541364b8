package dev.itembank.api;

import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors that never reached a controller (raised by the servlet container or a filter) with the same
 * problem responses as everything else, instead of Boot's default error page.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        ProblemType type = ProblemType.forStatus(status);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String detail = switch (type) {
            case NOT_FOUND -> "No resource at " + uri;
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this service accepts";
            case INTERNAL_ERROR -> "An unexpected error occurred";
            default -> type.title();
        };
        ProblemDetail problem = Problems.of(type, detail, uri == null ? null : uri.toString(), Map.of());
        problem.setStatus(status);
        return Problems.response(problem, new HttpHeaders());
    }
}
