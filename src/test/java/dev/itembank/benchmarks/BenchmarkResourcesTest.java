package dev.itembank.benchmarks;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.api.ProblemType;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.itembank.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class BenchmarkResourcesTest {

    @LocalServerPort
    int port;
    BenchmarkApi api;

    @BeforeEach
    void client() {
        api = new BenchmarkApi(port);
    }

    @Test
    void createsABenchmarkAndServesItAtItsLocation() {
        HttpResponse<String> created = api.http.send("POST", "/api/v1/benchmarks", "application/json",
                "{\"name\":\"mmlu-pro-" + System.nanoTime() + "\",\"description\":\"MMLU-Pro\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/api/v1/benchmarks/mmlu-pro-");
        JsonNode benchmark = Http.json(api.http.get(location));
        assertThat(benchmark.path("description").asString()).isEqualTo("MMLU-Pro");
        assertThat(benchmark.path("latestVersion").asInt()).isZero();
        assertThat(Http.json(api.http.get("/api/v1/benchmarks")).toString())
                .contains(location.substring(location.lastIndexOf('/') + 1));
    }

    @Test
    void rejectsAnInvalidNameNamingTheField() {
        HttpResponse<String> response = api.http.send("POST", "/api/v1/benchmarks", "application/json",
                "{\"name\":\"Not Valid!\"}");
        JsonNode problem = assertProblem(response, 422, ProblemType.INVALID_REQUEST);
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("name");
        assertThat(problem.path("detail").asString()).contains("name");
    }

    @Test
    void rejectsASecondBenchmarkOfTheSameNameWithConflict() {
        String name = api.create("twice");
        HttpResponse<String> response = api.http.send("POST", "/api/v1/benchmarks", "application/json",
                "{\"name\":\"" + name + "\"}");
        assertProblem(response, 409, ProblemType.CONFLICT);
    }

    @Test
    void unknownBenchmarkIsNotFound() {
        assertProblem(api.http.get("/api/v1/benchmarks/no-such-benchmark"), 404, ProblemType.NOT_FOUND);
        assertProblem(api.upload("no-such-benchmark", "text/csv", "model,a\nm,1\n"), 404, ProblemType.NOT_FOUND);
        assertProblem(api.http.get("/api/v1/benchmarks/no-such-benchmark/versions/latest"), 404,
                ProblemType.NOT_FOUND);
    }

    @Test
    void malformedJsonIsABadRequestThatSaysWhere() {
        HttpResponse<String> response = api.http.send("POST", "/api/v1/benchmarks", "application/json",
                "{\"name\": \"x\",\n  \"description\": }");
        JsonNode problem = assertProblem(response, 400, ProblemType.MALFORMED_REQUEST);
        assertThat(problem.path("detail").asString()).contains("line 2");
    }

    @Test
    void unsupportedMediaTypeIs415() {
        assertProblem(api.http.send("POST", "/api/v1/benchmarks", "text/plain", "name=x"), 415,
                ProblemType.UNSUPPORTED_MEDIA_TYPE);
        String name = api.create("media");
        assertProblem(api.upload(name, "application/vnd.ms-excel", "x"), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void versionThatDoesNotExistIsNotFound() {
        String name = api.create("noversion");
        assertProblem(api.http.get("/api/v1/benchmarks/" + name + "/versions/latest"), 404, ProblemType.NOT_FOUND);
        assertProblem(api.http.get("/api/v1/benchmarks/" + name + "/versions/7"), 404, ProblemType.NOT_FOUND);
        assertProblem(api.http.get("/api/v1/benchmarks/" + name + "/versions/seven"), 404, ProblemType.NOT_FOUND);
    }
}
