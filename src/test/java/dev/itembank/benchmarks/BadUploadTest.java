package dev.itembank.benchmarks;

import java.net.http.HttpResponse;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import dev.itembank.api.ProblemType;
import dev.itembank.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.itembank.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Every bad upload is a problem response that says what and where, and writes nothing at all. */
@IntegrationTest
class BadUploadTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    BenchmarkApi api;
    String benchmark;

    @BeforeEach
    void benchmarkWithOneVersion() {
        api = new BenchmarkApi(port);
        benchmark = api.create("bad");
        api.uploadOk(benchmark, "text/csv", "model,q1,q2\nexisting,1,0\n");
    }

    static Stream<Arguments> badUploads() {
        return Stream.of(
                Arguments.of("ragged row", "text/csv", "model,q1,q2\nm1,1,0\nm2,1\n", "line 3"),
                Arguments.of("duplicate model", "text/csv", "model,q1\nm1,1\nm1,0\n", "duplicate model 'm1'"),
                Arguments.of("duplicate item", "text/csv", "model,q1,q1\nm1,1,0\n", "duplicate item id 'q1'"),
                Arguments.of("value above 1", "text/csv", "model,q1,q2\nm1,1,1.5\n", "outside [0, 1]"),
                Arguments.of("negative value", "text/csv", "model,q1,q2\nm1,-0.1,1\n", "outside [0, 1]"),
                Arguments.of("non-numeric", "text/csv", "model,q1,q2\nm1,yes,1\n", "'yes' is not a number"),
                Arguments.of("NaN", "text/csv", "model,q1,q2\nm1,NaN,1\n", "'NaN' is not a number"),
                Arguments.of("infinite", "text/csv", "model,q1,q2\nm1,1e999,1\n", "not finite"),
                Arguments.of("Infinity word", "text/csv", "model,q1\nm1,Infinity\n", "is not a number"),
                Arguments.of("empty body", "text/csv", "", "empty"),
                // found by MalformedBodiesPropertyTest: PostgreSQL text cannot hold NUL
                Arguments.of("NUL in an item id", "text/csv", "model,q\u00001\nm1,1\n", "NUL character"),
                Arguments.of("NUL in a model name", "text/csv", "model,q1\nm\u00001,1\n", "NUL character"),
                Arguments.of("header only", "text/csv", "model,q1,q2\n", "no model results"),
                Arguments.of("no model column", "text/csv", "name,q1\nm1,1\n", "must start with 'model'"),
                Arguments.of("unclosed quote", "text/csv", "model,q1\n\"m1,1\n", "could not be read"),
                Arguments.of("long duplicate cell", "text/csv", "model,item_id,score\nm1,q1,1\nm1,q1,0\n",
                        "second value"),
                Arguments.of("long ragged", "text/csv", "model,item_id,score\nm1,q1\n", "line 2"),
                Arguments.of("json out of range", "application/json",
                        "{\"models\":[{\"model\":\"m1\",\"responses\":{\"q1\":2}}]}", "outside [0, 1]"),
                Arguments.of("json string score", "application/json",
                        "{\"models\":[{\"model\":\"m1\",\"responses\":{\"q1\":\"1\"}}]}", "must be a number"),
                Arguments.of("json duplicate model", "application/json",
                        "{\"models\":[{\"model\":\"m1\",\"responses\":{\"q1\":1}},"
                                + "{\"model\":\"m1\",\"responses\":{\"q1\":0}}]}", "duplicate model"),
                Arguments.of("json duplicate item", "application/json",
                        "{\"models\":[{\"model\":\"m1\",\"responses\":{\"q1\":1,\"q1\":0}}]}", "q1"),
                Arguments.of("json empty", "application/json", "{\"models\":[]}", "no model results"),
                Arguments.of("json malformed", "application/json", "{\"models\":[{\"model\":", "could not be read"),
                Arguments.of("ndjson without model", "application/x-ndjson", "{\"doc_id\":0,\"acc\":1}\n", "?model="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUploads")
    void badUploadIsAProblemThatNamesWhereAndWritesNothing(String label, String contentType, String body,
            String detailPart) {
        Counts before = counts();
        HttpResponse<String> response = api.upload(benchmark, contentType, body);
        JsonNode problem = assertProblem(response, 422, ProblemType.INVALID_UPLOAD);
        assertThat(problem.path("detail").asString()).contains(detailPart);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void rowErrorsNameTheLineColumnModelAndItem() {
        JsonNode problem = assertProblem(api.upload(benchmark, "text/csv", "model,q1,q2\nm1,1,0\nm2,0,7\n"), 422,
                ProblemType.INVALID_UPLOAD);
        assertThat(problem.path("line").asInt()).isEqualTo(3);
        assertThat(problem.path("column").asInt()).isEqualTo(3);
        assertThat(problem.path("model").asString()).isEqualTo("m2");
        assertThat(problem.path("itemId").asString()).isEqualTo("q2");
    }

    @Test
    void unknownContentTypeIs415AndWritesNothing() {
        Counts before = counts();
        assertProblem(api.upload(benchmark, "application/xml", "<x/>"), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void corruptGzipIsAProblemAndWritesNothing() {
        Counts before = counts();
        HttpResponse<String> response = api.http.send(api.http.request("/api/v1/benchmarks/" + benchmark + "/results")
                .header("Content-Type", "text/csv").header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("not gzip at all")).build());
        assertProblem(response, 400, ProblemType.MALFORMED_REQUEST);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void badItemsUploadWritesNothing() {
        Counts before = counts();
        HttpResponse<String> response = api.http.send("PUT", "/api/v1/benchmarks/" + benchmark + "/items", "text/csv",
                "item_id,scenario\nq9,s\nq9,s\n");
        assertThat(assertProblem(response, 422, ProblemType.INVALID_UPLOAD).path("detail").asString())
                .contains("duplicate item_id 'q9'");
        assertThat(counts()).isEqualTo(before);
    }

    record Counts(int versions, int rows, int items) {
    }

    private Counts counts() {
        Long id = jdbc.queryForObject("select id from benchmark where name = ?", Long.class, benchmark);
        return new Counts(
                jdbc.queryForObject("select count(*) from dataset_version where benchmark_id = ?", Integer.class, id),
                jdbc.queryForObject("select count(*) from model_row where benchmark_id = ?", Integer.class, id),
                jdbc.queryForObject("select coalesce(sum(cardinality(item_ids)), 0) from item_block where benchmark_id = ?",
                        Integer.class, id));
    }
}
