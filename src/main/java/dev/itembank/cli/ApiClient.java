package dev.itembank.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The few REST calls the command-line client makes, over {@code java.net.http}, with the API key as a bearer. */
final class ApiClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String key;

    ApiClient(String base, String key) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.key = key;
    }

    /** A response whose status was not 2xx: the problem the service answered. */
    static final class ProblemException extends RuntimeException {
        final int status;

        ProblemException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    String get(String path, String accept) throws IOException {
        return send(request(path).header("Accept", accept).GET());
    }

    JsonNode getJson(String path) throws IOException {
        return JSON.readTree(get(path, "application/json"));
    }

    String post(String path, String contentType, byte[] body) throws IOException {
        return send(request(path).header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (key != null && !key.isBlank()) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private String send(HttpRequest.Builder builder) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach " + base + " (set ITEMBANK_URL or --url)", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ProblemException(response.statusCode(), describe(response));
        }
        return response.body();
    }

    /** "404 Resource not found: subset ... does not exist" from an RFC 9457 problem, else the status and body. */
    private static String describe(HttpResponse<String> response) {
        try {
            JsonNode problem = JSON.readTree(response.body());
            if (problem.has("title") || problem.has("detail")) {
                return response.statusCode() + " " + problem.path("title").asString("") + ": "
                        + problem.path("detail").asString("");
            }
        } catch (RuntimeException e) {
            // not JSON: the raw body below
        }
        String body = response.body() == null ? "" : response.body();
        return response.statusCode() + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(500, body.length())));
    }
}
