package dev.itembank.api;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.itembank.api.ProblemAssertions.assertProblem;
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
}
