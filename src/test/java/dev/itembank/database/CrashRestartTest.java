package dev.itembank.database;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service started as a user starts it (its own JVM, embedded PostgreSQL in a data directory) and killed with
 * SIGKILL: its PostgreSQL outlives it. A new start on the same directory stops the stale server and is serving,
 * with the data, within 30 s. A data directory that PostgreSQL cannot start from fails the start at once, with
 * PostgreSQL's own message, instead of after the start-up timeout.
 */
class CrashRestartTest {

    @TempDir
    Path root;

    @Test
    void aRestartAfterSigkillStopsTheStaleServerAndKeepsTheData() throws Exception {
        Path data = root.resolve("postgres");
        int port = freePort();
        Process first = start(data, port, "first");
        try {
            Http http = new Http(port);
            assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"crash\"}").statusCode())
                    .isEqualTo(201);
            assertThat(http.send("POST", "/api/v1/benchmarks/crash/results", "text/csv", Fixtures.wmdpSlice(0, 5, 20))
                    .statusCode()).isEqualTo(201);
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        long stale = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        assertThat(ProcessHandle.of(stale).map(ProcessHandle::isAlive)).as("PostgreSQL outlives a SIGKILL")
                .contains(true);

        long began = System.nanoTime();
        Process second = start(data, port, "second");
        try {
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertThat(took).isLessThan(Duration.ofSeconds(30));
            assertThat(ProcessHandle.of(stale).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            HttpResponse<String> version = new Http(port).get("/api/v1/benchmarks/crash/versions/1");
            assertThat(version.statusCode()).isEqualTo(200);
            assertThat(Http.json(version).path("models").asInt()).isEqualTo(5);
        } finally {
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("SIGTERM stops the service").isTrue();
        }
        assertThat(data.resolve("postmaster.pid")).as("a SIGTERM stops its PostgreSQL too").doesNotExist();
    }

    /**
     * SIGTERM while a 16 MB upload is arriving and a calibration runs: the upload still lands (before, the embedded
     * PostgreSQL's own shutdown hook stopped it in the same second and the client got an empty reply), the job is
     * handed back to the queue, and the service exits cleanly.
     */
    @Test
    void sigtermMidUploadLetsTheUploadLandAndHandsTheJobBack() throws Exception {
        Path data = root.resolve("term");
        int port = freePort();
        Process service = start(data, port, "term");
        Http http = new Http(port);
        assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"term\"}").statusCode())
                .isEqualTo(201);
        assertThat(http.send("POST", "/api/v1/benchmarks/term/results", "text/csv", Fixtures.wmdpSlice(0, 64, 3000))
                .statusCode()).isEqualTo(201);
        HttpResponse<String> queued = http.send("POST", "/api/v1/benchmarks/term/calibrations", "application/json",
                "{\"model\":\"mirt\",\"dimensions\":\"auto\"}");
        assertThat(queued.statusCode()).isEqualTo(202);
        String job = queued.headers().firstValue("Location").orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Http.json(http.get(job)).path("state").asString().equals("running")) {
            assertThat(System.nanoTime()).as("the calibration starts").isLessThan(deadline);
            Thread.sleep(100);
        }
        java.util.concurrent.CompletableFuture<HttpResponse<String>> upload = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> http.send(http.request("/api/v1/benchmarks/term/results")
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowCsv(200, 20_000))).build()));
        Thread.sleep(600);
        service.destroy(); // SIGTERM
        HttpResponse<String> landed = upload.get(90, TimeUnit.SECONDS);
        assertThat(landed.statusCode()).as(landed.body()).isEqualTo(201);
        assertThat(Http.json(landed).path("models").asInt()).isEqualTo(264);
        assertThat(service.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(root.resolve("term-service.log"));
        assertThat(log).contains("handed back to the queue").doesNotContain("Failed to stop bean")
                .doesNotContain("57P01");
        assertThat(data.resolve("postmaster.pid")).doesNotExist();
    }

    /** A wide CSV of {@code models} x {@code items} 0/1 cells, produced a 64 KiB chunk every 10 ms. */
    private static final class SlowCsv extends java.io.InputStream {
        private final byte[] body;
        private int position;

        SlowCsv(int models, int items) {
            StringBuilder csv = new StringBuilder("model");
            for (int j = 0; j < items; j++) {
                csv.append(",slow_").append(j);
            }
            csv.append('\n');
            java.util.SplittableRandom random = new java.util.SplittableRandom(models);
            for (int m = 0; m < models; m++) {
                csv.append("slow-model-").append(m);
                for (int j = 0; j < items; j++) {
                    csv.append(random.nextInt(2) == 0 ? ",0" : ",1");
                }
                csv.append('\n');
            }
            body = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            return position < body.length ? body[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= body.length) {
                return -1;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int n = Math.min(Math.min(length, 64 * 1024), body.length - position);
            System.arraycopy(body, position, buffer, offset, n);
            position += n;
            return n;
        }
    }

    @Test
    void aDataDirectoryPostgresCannotStartFromFailsAtOnceWithItsMessage() throws Exception {
        Path data = root.resolve("damaged");
        Files.createDirectories(data);
        Files.writeString(data.resolve("PG_VERSION"), "7\n"); // a cluster of a release this server cannot read
        Files.writeString(data.resolve("postgresql.conf"), "\n");
        long began = System.nanoTime();
        Process service = start(data, freePort(), "damaged", false);
        boolean ended = service.waitFor(45, TimeUnit.SECONDS);
        String log = Files.readString(root.resolve("damaged-service.log"));
        assertThat(ended).as(log).isTrue();
        assertThat(service.exitValue()).isNotZero();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(45));
        assertThat(log).contains("could not start").contains("FATAL");
    }

    private Process start(Path data, int port, String name) throws Exception {
        return start(data, port, name, true);
    }

    private Process start(Path data, int port, String name, boolean awaitReady) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ItembankApplication.class.getName(), "--server.port=" + port, "--spring.datasource.url=",
                "--itembank.database.embedded.data-directory=" + data,
                "--itembank.database.embedded.startup-timeout=60s",
                "--itembank.security.admin-key=" + TestKeys.ADMIN));
        File log = root.resolve(name + "-service.log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        if (!awaitReady) {
            return process;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited: " + Files.readString(log.toPath()));
            }
            try {
                if (new Http(port, null).get("/actuator/health/readiness").statusCode() == 200) {
                    return process;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("the service did not become ready: " + Files.readString(log.toPath()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
