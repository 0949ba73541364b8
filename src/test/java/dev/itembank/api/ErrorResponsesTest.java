package dev.itembank.api;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ErrorResponsesTest {

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void unknownPathIsA404Problem() {
        HttpResponse<String> response = http.get("/nope");
        assertProblem(response, 404, ProblemType.NOT_FOUND);
        assertThat(Http.json(response).path("instance").asString()).isEqualTo("/nope");
    }

    @Test
    void unknownPathWithAnotherMethodIsStillA404Problem() {
        assertProblem(http.send("POST", "/nope/deeper", "application/json", "{}"), 404, ProblemType.NOT_FOUND);
    }

    @Test
    void wrongMethodIsA405ProblemThatListsTheAllowedOnes() {
        HttpResponse<String> response = http.send("DELETE", "/v3/api-docs", null, null);
        assertProblem(response, 405, ProblemType.METHOD_NOT_ALLOWED);
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status, ProblemType type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Http.contentType(response)).startsWith("application/problem+json");
        JsonNode problem = Http.json(response);
        assertThat(problem.path("type").asString()).isEqualTo(type.uri().toString());
        assertThat(problem.path("title").asString()).isEqualTo(type.title());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        return problem;
    }
}
