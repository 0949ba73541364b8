package dev.itembank.security;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ProblemType;
import dev.itembank.api.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** Problems written by the security filters, before any controller: the same shape as every other answer. */
final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponses() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (type == ProblemType.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"itembank\"");
        }
        // the instance is the path as received, which may be one the firewall refused: keep it out of the answer
        Map<String, Object> problem = Problems.asMap(type, detail, null, Map.of());
        response.setStatus(type.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(problem));
    }
}
