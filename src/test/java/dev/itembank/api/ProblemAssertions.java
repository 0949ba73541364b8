package dev.itembank.api;

import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;

import dev.itembank.support.Http;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that a response is an RFC 9457 problem of a registered type, with nothing internal leaking. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    public static JsonNode assertProblem(HttpResponse<String> response, int status, ProblemType type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Http.contentType(response)).startsWith("application/problem+json");
        JsonNode problem = Http.json(response);
        assertThat(problem.path("type").asString()).isEqualTo(type.uri().toString());
        assertThat(problem.path("title").asString()).isEqualTo(type.title());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "SQL");
        return problem;
    }
}
