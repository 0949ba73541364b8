package dev.itembank.jobs;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IsolatedDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** An API-only instance (itembank.jobs.enabled=false) queues jobs without running them; queued jobs cancel at once. */
class QueuedJobTest {

    @Test
    void aQueuedJobIsCancelledAtOnceAndStaysCancelled() {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--itembank.jobs.enabled=false"));
        args.addAll(IsolatedDatabase.arguments(IsolatedDatabase.create("queued")));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ItembankApplication.class)
                .run(args.toArray(String[]::new))) {
            Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
            http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"queued\"}");
            http.send("POST", "/api/v1/benchmarks/queued/results", "text/csv", Fixtures.wmdpSlice(0, 20, 50));
            HttpResponse<String> queued = http.send("POST", "/api/v1/benchmarks/queued/calibrations",
                    "application/json", "{\"model\":\"2pl\"}");
            assertThat(queued.statusCode()).isEqualTo(202);
            JsonNode accepted = Http.json(queued);
            assertThat(accepted.path("state").asString()).isEqualTo("queued");
            String jobPath = queued.headers().firstValue("Location").orElseThrow();
            assertThat(accepted.path("href").asString()).isEqualTo(jobPath);

            JsonNode job = Http.json(http.get(jobPath));
            assertThat(job.path("state").asString()).isEqualTo("queued");
            assertThat(job.path("parameters").path("calibration").path("version").asInt())
                    .as("'latest' is resolved when the job is queued").isEqualTo(1);
            assertThat(Http.json(http.get("/api/v1/jobs?state=queued")).size()).isEqualTo(1);

            HttpResponse<String> cancelled = http.send("DELETE", jobPath, null, null);
            assertThat(cancelled.statusCode()).isEqualTo(200);
            assertThat(Http.json(cancelled).path("state").asString()).isEqualTo("cancelled");
            assertThat(http.send("DELETE", jobPath, null, null).statusCode()).isEqualTo(409);
            assertThat(Http.json(http.get("/api/v1/jobs?state=queued")).size()).isZero();
        }
    }
}
