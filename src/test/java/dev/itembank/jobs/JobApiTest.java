package dev.itembank.jobs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.JobWaiter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class JobApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    Jobs jobs;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void aJobWhoseWorkersKeptDyingIsFailedInsteadOfClaimedAgain() {
        UUID id = UUID.randomUUID();
        // three workers claimed it and died: its lease ran out long ago
        jdbc.update("""
                insert into job (id, type, parameters, state, attempts, claim_token, lease_until, created_at,
                    started_at) values (?, 'calibration', '{}'::jsonb, 'running', 3, ?, now() - interval '1 hour',
                    now() - interval '2 hours', now() - interval '2 hours')""", id, UUID.randomUUID());
        java.util.Optional<Jobs.Claim> claim = jobs.claim("test", Duration.ofSeconds(60), 3);
        assertThat(claim.map(c -> c.job().id()).filter(id::equals)).as("not claimed a fourth time").isEmpty();
        claim.ifPresent(c -> jobs.release(c.job().id(), c.token()));
        jobs.reap(3);
        JsonNode job = Http.json(new Http(port).get("/api/v1/jobs/" + id));
        assertThat(job.path("state").asString()).isEqualTo("failed");
        assertThat(job.path("attempts").asInt()).isEqualTo(3);
        assertThat(job.path("error").path("detail").asString()).contains("3 times");
    }

    @Test
    void aJobThatFailsCarriesTheProblemThatStoppedIt() {
        Http http = new Http(port);
        UUID missing = UUID.randomUUID();
        UUID id = jobs.enqueue("subset", null, JSON.readTree("{\"benchmark\":\"nowhere\",\"calibration\":\"" + missing
                + "\",\"method\":\"random\",\"itemsPerScenario\":10,\"seed\":0,\"forms\":1,\"nestedIntervals\":false}"));
        JsonNode job = JobWaiter.finished(http, "/api/v1/jobs/" + id, Duration.ofMinutes(1));
        assertThat(job.path("state").asString()).isEqualTo("failed");
        assertThat(job.path("error").path("type").asString()).isEqualTo("https://itembank.dev/problems/invalid-request");
        assertThat(job.path("error").path("status").asInt()).isEqualTo(422);
        assertThat(job.path("error").path("detail").asString()).contains(missing.toString());
        assertThat(job.path("finishedAt").isString()).isTrue();
        assertThat(job.has("result")).isFalse();
    }

    @Test
    void aRunningJobStreamsItsProgressAndCanBeCancelled() throws Exception {
        Http http = new Http(port);
        String benchmark = "cancel-" + UUID.randomUUID().toString().substring(0, 8);
        http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}");
        http.send("PUT", "/api/v1/benchmarks/" + benchmark + "/items", "text/csv", Fixtures.text("wmdp/items.csv"));
        http.send("POST", "/api/v1/benchmarks/" + benchmark + "/results", "text/csv", Fixtures.text("wmdp/matrix.csv"));
        HttpResponse<String> queued = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/calibrations",
                "application/json", "{\"model\":\"mirt\",\"dimensions\":\"auto\"}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String jobPath = queued.headers().firstValue("Location").orElseThrow();
        CompletableFuture<List<String[]>> events = CompletableFuture.supplyAsync(() -> events(http, jobPath));

        awaitProgress(http, jobPath);
        HttpResponse<String> cancel = http.send("DELETE", jobPath, null, null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        assertThat(Http.json(cancel).path("cancelRequested").asBoolean()).isTrue();
        JsonNode job = JobWaiter.finished(http, jobPath, Duration.ofMinutes(1));
        assertThat(job.path("state").asString()).isEqualTo("cancelled");
        assertThat(http.send("DELETE", jobPath, null, null).statusCode()).isEqualTo(409);

        List<String[]> stream = events.get();
        assertThat(stream).isNotEmpty();
        assertThat(stream.get(stream.size() - 1)[0]).isEqualTo("finished");
        assertThat(JSON.readTree(stream.get(stream.size() - 1)[1]).path("state").asString()).isEqualTo("cancelled");
        assertThat(stream.stream().filter(e -> e[0].equals("progress"))
                .mapToDouble(e -> JSON.readTree(e[1]).path("progress").asDouble()).max().orElse(0))
                .as("progress events report work done").isGreaterThan(0);
        assertThat(Http.json(http.get("/api/v1/jobs?state=cancelled")).valueStream()
                .map(j -> j.path("id").asString())).contains(job.path("id").asString());
    }

    @Test
    void unknownJobsAndStatesAreProblems() {
        Http http = new Http(port);
        HttpResponse<String> missing = http.get("/api/v1/jobs/" + UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Http.contentType(missing)).startsWith("application/problem+json");
        HttpResponse<String> badState = http.get("/api/v1/jobs?state=sleeping");
        assertThat(badState.statusCode()).isEqualTo(422);
        assertThat(Http.json(badState).path("detail").asString()).contains("sleeping");
        assertThat(http.get("/api/v1/jobs/not-a-uuid").statusCode()).isEqualTo(400);
    }

    private static void awaitProgress(Http http, String jobPath) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Http.json(http.get(jobPath)).path("progress").asDouble() <= 0) {
            assertThat(Instant.now()).as("no progress reported").isBefore(deadline);
            JobWaiter.sleep(100);
        }
    }

    /** Reads the job's server-sent events until the stream closes: [event name, data] pairs. */
    private static List<String[]> events(Http http, String jobPath) {
        HttpResponse<java.io.InputStream> response;
        try {
            response = HttpClientHolder.CLIENT.send(http.request(jobPath + "/events").timeout(Duration.ofMinutes(2))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<String[]> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    events.add(new String[] {name, line.substring(5).strip()});
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return events;
    }

    private static final class HttpClientHolder {
        static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newHttpClient();
    }
}
