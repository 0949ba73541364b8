package dev.itembank.jobs;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.IsolatedDatabase;
import dev.itembank.support.JobWaiter;
import dev.itembank.support.TestDatabase;
import dev.itembank.support.TestKeys;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a key may ask of the job queue, and how fast a job stops: a quota of queued and running jobs per key (100
 * calibrations from one key were all accepted before), and a cancelled {@code auto} selection of several forms
 * stops within seconds (before, it ran on for minutes: cancellation was checked only between phases).
 */
@IntegrationTest
class JobLimitsTest {

    @LocalServerPort
    int port;

    @Test
    void aKeyBeyondItsQuotaOfActiveJobsGets429() {
        TestDatabase.Connection database = IsolatedDatabase.create("quota");
        List<String> args = new ArrayList<>(IsolatedDatabase.arguments(database));
        args.addAll(List.of("--server.port=0", "--itembank.jobs.enabled=false",
                "--itembank.jobs.max-active-per-key=2"));
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(ItembankApplication.class)
                .run(args.toArray(String[]::new))) {
            Http http = new Http(((WebServerApplicationContext) service).getWebServer().getPort(), TestKeys.ADMIN);
            assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"quota\"}")
                    .statusCode()).isEqualTo(201);
            assertThat(http.send("POST", "/api/v1/benchmarks/quota/results", "text/csv",
                    Fixtures.wmdpSlice(0, 10, 20)).statusCode()).isEqualTo(201);
            List<String> jobs = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                HttpResponse<String> queued = calibrate(http);
                assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
                jobs.add(queued.headers().firstValue("Location").orElseThrow());
            }
            HttpResponse<String> refused = calibrate(http);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(Http.json(refused).path("quota").asInt()).isEqualTo(2);
            assertThat(Http.json(http.get("/api/v1/jobs")).size()).as("the refused job was not queued").isEqualTo(2);
            assertThat(http.send("DELETE", jobs.get(0), null, null).statusCode()).isEqualTo(200);
            assertThat(calibrate(http).statusCode()).as("a cancelled job frees its place").isEqualTo(202);
        }
    }

    private static HttpResponse<String> calibrate(Http http) {
        return http.send("POST", "/api/v1/benchmarks/quota/calibrations", "application/json", "{\"model\":\"1pl\"}");
    }

    @Test
    void aCancelledAutoSelectionOfSeveralFormsStopsWithinSeconds() {
        Http http = new Http(port);
        String benchmark = "stop-" + UUID.randomUUID().toString().substring(0, 8);
        http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}");
        http.send("POST", "/api/v1/benchmarks/" + benchmark + "/results", "text/csv", Fixtures.text("wmdp/matrix.csv"));
        HttpResponse<String> calibration = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/calibrations",
                "application/json", "{\"model\":\"2pl\"}");
        JobWaiter.succeeded(http, calibration.headers().firstValue("Location").orElseThrow(), Duration.ofMinutes(3));
        HttpResponse<String> queued = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/subsets",
                "application/json", "{\"method\":\"auto\",\"itemsPerScenario\":60,\"forms\":5}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String job = queued.headers().firstValue("Location").orElseThrow();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Http.json(http.get(job)).path("progress").asDouble() < 0.05) {
            assertThat(Instant.now()).as("the selection starts").isBefore(deadline);
            JobWaiter.sleep(100);
        }
        JobWaiter.sleep(1500); // inside the first form's backtests
        Instant asked = Instant.now();
        assertThat(http.send("DELETE", job, null, null).statusCode()).isEqualTo(202);
        JsonNode finished = JobWaiter.finished(http, job, Duration.ofMinutes(2));
        assertThat(finished.path("state").asString()).isEqualTo("cancelled");
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(15));
    }
}
