package dev.itembank.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import tools.jackson.databind.JsonNode;

import dev.itembank.support.Http;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmarks API as a test client sees it, over real HTTP. */
final class BenchmarkApi {

    final Http http;

    BenchmarkApi(int port) {
        this.http = new Http(port);
    }

    /** Creates a benchmark with a fresh name, so that tests sharing the database never meet. */
    String create(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = http.send("POST", "/api/v1/benchmarks", "application/json",
                "{\"name\":\"" + name + "\",\"description\":\"test\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return name;
    }

    HttpResponse<String> upload(String benchmark, String contentType, String body) {
        return http.send("POST", "/api/v1/benchmarks/" + benchmark + "/results", contentType, body);
    }

    JsonNode uploadOk(String benchmark, String contentType, String body) {
        HttpResponse<String> response = upload(benchmark, contentType, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Http.json(response);
    }

    HttpResponse<String> uploadGzip(String benchmark, String contentType, String body) {
        HttpRequest request = http.request("/api/v1/benchmarks/" + benchmark + "/results")
                .header("Content-Type", contentType)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body)))
                .build();
        return http.send(request);
    }

    String matrix(String benchmark, Object version) {
        HttpResponse<String> response = http.get("/api/v1/benchmarks/" + benchmark + "/versions/" + version + "/matrix");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    JsonNode version(String benchmark, Object version) {
        HttpResponse<String> response = http.get("/api/v1/benchmarks/" + benchmark + "/versions/" + version);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response);
    }

    static byte[] gzip(String body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Splits simple CSV (no quoted fields) into rows of cells. */
    static List<String[]> cells(String csv) {
        List<String[]> rows = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split(",", -1));
            }
        }
        return rows;
    }
}
