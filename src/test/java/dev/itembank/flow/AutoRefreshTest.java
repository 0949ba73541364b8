package dev.itembank.flow;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.JobWaiter;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class AutoRefreshTest {

    @LocalServerPort
    int port;

    @Test
    void eachUploadQueuesACalibrationAndThenANewRecommendedSubsetWhileOlderSubsetsStayValid() {
        Http http = new Http(port);
        String benchmark = "refresh-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/api/v1/benchmarks/" + benchmark;
        http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}");
        assertThat(http.send("POST", base + "/results", "text/csv", Fixtures.wmdpSlice(0, 30, 200)).statusCode())
                .isEqualTo(201);
        assertThat(http.get(base + "/auto-refresh").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = http.send("PUT", base + "/auto-refresh", "application/json",
                "{\"calibration\":{\"version\":1}}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(Http.json(bad).path("field").asString()).isEqualTo("calibration.version");
        HttpResponse<String> put = http.send("PUT", base + "/auto-refresh", "application/json",
                "{\"calibration\":{\"model\":\"2pl\"},\"subset\":{\"method\":\"random\",\"itemsPerScenario\":30,"
                        + "\"nestedIntervals\":false}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(Http.json(http.get(base + "/auto-refresh")).path("calibration").path("model").asString())
                .isEqualTo("2pl");

        assertThat(http.send("POST", base + "/results", "text/csv", Fixtures.wmdpSlice(30, 40, 200)).statusCode())
                .isEqualTo(201);
        JsonNode first = awaitRecommended(http, base, 2);
        assertThat(first.path("items")).hasSize(30);
        assertThat(Http.json(http.get(base + "/calibrations")).get(0).path("datasetVersion").asInt()).isEqualTo(2);
        JsonNode jobs = Http.json(http.get("/api/v1/jobs?benchmark=" + benchmark));
        assertThat(jobs.valueStream().map(j -> j.path("type").asString())).containsExactlyInAnyOrder("subset",
                "calibration");

        assertThat(http.send("POST", base + "/results", "text/csv", Fixtures.wmdpSlice(40, 50, 200)).statusCode())
                .isEqualTo(201);
        JsonNode second = awaitRecommended(http, base, 3);
        assertThat(second.path("version").asInt()).isGreaterThan(first.path("version").asInt());
        HttpResponse<String> older = http.get("/api/v1/subsets/" + first.path("id").asString());
        assertThat(older.statusCode()).isEqualTo(200);
        assertThat(Http.json(older).path("datasetVersion").asInt()).isEqualTo(2);

        assertThat(http.send("DELETE", base + "/auto-refresh", null, null).statusCode()).isEqualTo(204);
        assertThat(http.get(base + "/auto-refresh").statusCode()).isEqualTo(404);
    }

    private static JsonNode awaitRecommended(Http http, String base, int datasetVersion) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            HttpResponse<String> response = http.get(base + "/subsets/recommended?itemsPerScenario=30");
            if (response.statusCode() == 200 && Http.json(response).path("datasetVersion").asInt() == datasetVersion) {
                assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("no-cache");
                return Http.json(response);
            }
            assertThat(Instant.now()).as("no subset of version " + datasetVersion + ": " + response.body())
                    .isBefore(deadline);
            JobWaiter.sleep(200);
        }
    }
}
