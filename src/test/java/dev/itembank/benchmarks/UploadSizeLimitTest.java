package dev.itembank.benchmarks;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.itembank.api.ProblemType;
import dev.itembank.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static dev.itembank.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
@TestPropertySource(properties = "itembank.uploads.max-size=2KB")
class UploadSizeLimitTest {

    @LocalServerPort
    int port;
    BenchmarkApi api;
    String benchmark;

    @BeforeEach
    void benchmark() {
        api = new BenchmarkApi(port);
        benchmark = api.create("limit");
    }

    @Test
    void bodyOverTheLimitIs413WithAContentLength() {
        assertProblem(api.upload(benchmark, "text/csv", bigCsv()), 413, ProblemType.PAYLOAD_TOO_LARGE);
        assertNoVersion();
    }

    @Test
    void streamedBodyOverTheLimitIs413() {
        byte[] body = bigCsv().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = api.http.request("/api/v1/benchmarks/" + benchmark + "/results")
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(body))) // no Content-Length: chunked
                .build();
        assertProblem(api.http.send(request), 413, ProblemType.PAYLOAD_TOO_LARGE);
        assertNoVersion();
    }

    /** A small .zip (or .tar.gz) of an lm-eval folder whose files expand past the limit: a 413, nothing written. */
    @Test
    void smallArchivesThatExpandPastTheLimitAre413() throws java.io.IOException {
        StringBuilder samples = new StringBuilder();
        for (int doc = 0; doc < 400; doc++) {
            samples.append("{\"doc_id\": ").append(doc).append(", \"filter\": \"none\", \"acc\": 1}\n");
        }
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("m/samples_t_2025-01-15T10-20-30.123456.jsonl"));
            out.write(samples.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertThat(zip.size()).isLessThan(2048);
        HttpRequest request = api.http.request("/api/v1/benchmarks/" + benchmark + "/results?model=m")
                .header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip.toByteArray())).build();
        assertProblem(api.http.send(request), 413, ProblemType.PAYLOAD_TOO_LARGE);
        assertNoVersion();
    }

    @Test
    void smallGzipThatExpandsPastTheLimitIs413() {
        byte[] compressed = BenchmarkApi.gzip("model,q1\n" + "m,1\n".repeat(2000));
        assertThat(compressed.length).isLessThan(2048);
        HttpRequest request = api.http.request("/api/v1/benchmarks/" + benchmark + "/results")
                .header("Content-Type", "text/csv").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed)).build();
        assertProblem(api.http.send(request), 413, ProblemType.PAYLOAD_TOO_LARGE);
        assertNoVersion();
    }

    @Test
    void bodyUnderTheLimitLands() {
        assertThat(api.upload(benchmark, "text/csv", "model,q1\nm,1\n").statusCode()).isEqualTo(201);
    }

    private void assertNoVersion() {
        assertThat(api.http.get("/api/v1/benchmarks/" + benchmark + "/versions/latest").statusCode()).isEqualTo(404);
    }

    private static String bigCsv() {
        StringBuilder csv = new StringBuilder("model");
        for (int c = 0; c < 2000; c++) {
            csv.append(",item").append(c);
        }
        csv.append("\nm");
        csv.append(",1".repeat(2000)).append('\n');
        return csv.toString();
    }
}
