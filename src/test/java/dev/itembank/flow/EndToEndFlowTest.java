package dev.itembank.flow;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.JobWaiter;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product as a user meets it, over real HTTP and a real PostgreSQL: upload WMDP (64 models), calibrate on
 * rows 16-63 with rows 0-15 held out, select 100 items per scenario, and estimate each held-out model from its
 * answers on the subset alone.
 */
@IntegrationTest
class EndToEndFlowTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

    @LocalServerPort
    int port;

    @Test
    void uploadCalibrateSelectAndEstimateHeldOutModelsWithinTheirIntervals() {
        Http http = new Http(port);
        String benchmark = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}")
                .statusCode()).isEqualTo(201);
        assertThat(http.send("PUT", "/api/v1/benchmarks/" + benchmark + "/items", "text/csv",
                Fixtures.text("wmdp/items.csv")).statusCode()).isEqualTo(200);
        HttpResponse<String> upload = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/results", "text/csv",
                Fixtures.text("wmdp/matrix.csv"));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);

        List<String[]> matrix = Fixtures.wmdpMatrix();
        List<String> heldOut = new ArrayList<>();
        for (int row = 1; row <= 16; row++) {
            heldOut.add(matrix.get(row)[0]);
        }
        ObjectNode calibrationRequest = JSON.createObjectNode().put("model", "mirt").put("dimensions", 5);
        calibrationRequest.set("heldOutModels", JSON.valueToTree(heldOut));
        HttpResponse<String> queued = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/calibrations",
                "application/json", calibrationRequest.toString());
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String jobPath = queued.headers().firstValue("Location").orElseThrow();
        JsonNode calibrationJob = JobWaiter.succeeded(http, jobPath, JOB_TIMEOUT);
        assertThat(calibrationJob.path("progress").asDouble()).isEqualTo(1.0);
        String calibrationPath = calibrationJob.path("result").asString();

        JsonNode calibration = Http.json(http.get(calibrationPath));
        assertThat(calibration.path("datasetVersion").asInt()).isEqualTo(1);
        assertThat(calibration.path("dimensions").asInt()).isEqualTo(5);
        assertThat(calibration.path("items")).hasSize(3260);
        assertThat(calibration.path("abilities")).hasSize(48);
        assertThat(calibration.path("diagnostics").path("heldOutLogLikelihood").isNumber()).isTrue();
        String csv = http.get(calibrationPath + "?format=csv").body();
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("item_id,d,a1,a2,a3,a4,a5");
        assertThat(csv.lines().count()).isEqualTo(3261);

        HttpResponse<String> subsetQueued = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/subsets",
                "application/json", "{\"method\":\"anchor-irt\",\"itemsPerScenario\":100,\"seed\":1}");
        assertThat(subsetQueued.statusCode()).as(subsetQueued.body()).isEqualTo(202);
        JsonNode subsetJob = JobWaiter.succeeded(http, subsetQueued.headers().firstValue("Location").orElseThrow(),
                JOB_TIMEOUT);
        String subsetPath = subsetJob.path("result").asString();
        HttpResponse<String> subsetResponse = http.get(subsetPath);
        JsonNode subset = Http.json(subsetResponse);
        assertThat(subset.path("items")).hasSize(200);
        assertThat(subset.path("calibration").asString()).isEqualTo(calibration.path("id").asString());
        assertThat(subsetResponse.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
        String etag = subsetResponse.headers().firstValue("ETag").orElseThrow();
        assertThat(http.send(http.request(subsetPath).header("If-None-Match", etag).GET().build()).statusCode())
                .isEqualTo(304);
        double weightSum = 0;
        for (JsonNode item : subset.path("items")) {
            weightSum += item.path("weight").asDouble();
        }
        assertThat(weightSum).as("weights sum to 1 in each of the 2 scenarios").isCloseTo(2.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(subset.path("backtest").path("heldOut").path("models").asInt()).isEqualTo(16);
        JsonNode recommended = Http.json(http.get("/api/v1/benchmarks/" + benchmark
                + "/subsets/recommended?itemsPerScenario=100"));
        assertThat(recommended.path("id").asString()).isEqualTo(subset.path("id").asString());
        assertThat(http.get(subsetPath + "/items.csv").body()).startsWith("item_id,scenario,weight\n");

        Map<String, Integer> column = new HashMap<>();
        String[] header = matrix.get(0);
        for (int c = 1; c < header.length; c++) {
            column.put(header[c], c);
        }
        int inside = 0;
        double absoluteError = 0;
        for (int row = 1; row <= 16; row++) {
            String[] cells = matrix.get(row);
            ObjectNode body = JSON.createObjectNode().put("model", cells[0]);
            ObjectNode responses = body.putObject("responses");
            for (JsonNode item : subset.path("items")) {
                String itemId = item.path("itemId").asString();
                responses.put(itemId, Double.parseDouble(cells[column.get(itemId)]));
            }
            HttpResponse<String> created = http.send("POST", subsetPath + "/estimates", "application/json",
                    body.toString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode estimate = Http.json(created);
            assertThat(http.get(created.headers().firstValue("Location").orElseThrow()).statusCode()).isEqualTo(200);
            double truth = trueOverallScore(cells, header);
            JsonNode overall = estimate.path("overall");
            absoluteError += Math.abs(overall.path("estimate").asDouble() - truth);
            if (truth >= overall.path("lower").asDouble() && truth <= overall.path("upper").asDouble()) {
                inside++;
            }
            assertThat(estimate.path("missing")).isEmpty();
        }
        assertThat(inside).as("held-out models whose true score lies in their 90% interval").isGreaterThanOrEqualTo(12);
        assertThat(absoluteError / 16).as("mean absolute error of the overall score").isLessThan(0.04);
    }

    /** The mean of the two scenarios' plain means (WMDP has no sub-scenarios). */
    static double trueOverallScore(String[] cells, String[] header) {
        double[] sums = new double[2];
        int[] counts = new int[2];
        for (int c = 1; c < header.length; c++) {
            int s = header[c].startsWith("wmdp_bio") ? 1 : 0;
            sums[s] += Double.parseDouble(cells[c]);
            counts[s]++;
        }
        return (sums[0] / counts[0] + sums[1] / counts[1]) / 2;
    }

}
