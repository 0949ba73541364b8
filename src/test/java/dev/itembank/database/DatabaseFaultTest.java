package dev.itembank.database;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.JobWaiter;
import dev.itembank.support.TestKeys;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away in the middle of an upload: the client gets 503 with Retry-After, no version appears,
 * readiness is DOWN until the database is back, and then the service works again without a restart; a restart of
 * the service loses nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseFaultTest {

    @TempDir
    Path data;

    @Test
    void anUploadCutOffByTheDatabaseWritesNothingAndTheServiceRecovers(CapturedOutput output) throws Exception {
        int port = freePort();
        EmbeddedPostgres postgres = start(port);
        String url = postgres.getJdbcUrl("postgres", "postgres");
        List<String> args = List.of("--server.port=0", "--spring.datasource.url=" + url,
                "--spring.datasource.hikari.connection-timeout=2000", "--spring.datasource.hikari.validation-timeout=1000",
                "--itembank.security.admin-key=" + TestKeys.ADMIN, "--itembank.jobs.poll-interval=200ms");
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(ItembankApplication.class)
                .run(args.toArray(String[]::new))) {
            Http http = new Http(((WebServerApplicationContext) service).getWebServer().getPort());
            assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"fault\"}").statusCode())
                    .isEqualTo(201);
            assertThat(http.send("POST", "/api/v1/benchmarks/fault/results", "text/csv", Fixtures.wmdpSlice(0, 10, 50))
                    .statusCode()).isEqualTo(201);

            // an upload whose body is still arriving when the database stops
            byte[] body = Fixtures.wmdpSlice(10, 40, 50).getBytes(StandardCharsets.UTF_8);
            PipedOutputStream sink = new PipedOutputStream();
            PipedInputStream source = new PipedInputStream(sink, 1 << 16);
            CompletableFuture<HttpResponse<String>> upload = HttpClientHolder.CLIENT.sendAsync(
                    http.request("/api/v1/benchmarks/fault/results").header("Content-Type", "text/csv")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> source)).build(),
                    HttpResponse.BodyHandlers.ofString());
            // the first half in pieces, so that the request is in the controller, reading, when the database stops
            for (int piece = 0; piece < 10; piece++) {
                write(sink, body, piece * body.length / 20, (piece + 1) * body.length / 20);
                JobWaiter.sleep(100);
            }
            postgres.close();
            write(sink, body, body.length / 2, body.length);
            sink.close();
            HttpResponse<String> cut = upload.get();
            assertThat(cut.statusCode()).as(cut.body()).isEqualTo(503);
            assertThat(output).as("the upload was refused while writing, past authentication")
                    .contains("Database unavailable while serving POST /api/v1/benchmarks/fault/results");
            assertThat(cut.headers().firstValue("Retry-After")).isPresent();
            assertThat(Http.json(cut).path("type").asString())
                    .isEqualTo("https://itembank.dev/problems/service-unavailable");
            HttpResponse<String> readiness = http.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(Http.json(readiness).path("status").asString()).isEqualTo("DOWN");
            assertThat(http.get("/actuator/health/liveness").statusCode()).as("alive, only not ready").isEqualTo(200);

            postgres = start(port);
            awaitReady(http);
            assertThat(Http.json(http.get("/api/v1/benchmarks/fault/versions")).size())
                    .as("the cut-off upload made no version").isEqualTo(1);
            assertThat(http.send("POST", "/api/v1/benchmarks/fault/results", "text/csv", Fixtures.wmdpSlice(10, 40, 50))
                    .statusCode()).as("uploads work again").isEqualTo(201);
        }
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(ItembankApplication.class)
                .run(args.toArray(String[]::new))) {
            Http http = new Http(((WebServerApplicationContext) restarted).getWebServer().getPort());
            assertThat(Http.json(http.get("/api/v1/benchmarks/fault/versions/2")).path("models").asInt())
                    .as("a restart of the service loses nothing").isEqualTo(40);
        } finally {
            postgres.close();
        }
    }

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static void awaitReady(Http http) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (http.get("/actuator/health/readiness").statusCode() != 200) {
            assertThat(Instant.now()).as("readiness never came back").isBefore(deadline);
            JobWaiter.sleep(250);
        }
    }

    private static void write(OutputStream out, byte[] body, int from, int to) throws IOException {
        out.write(body, from, to - from);
        out.flush();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final class HttpClientHolder {
        static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newHttpClient();
    }
}
