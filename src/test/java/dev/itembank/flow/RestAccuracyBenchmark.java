package dev.itembank.flow;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.itembank.support.BenchmarkReport;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.JobWaiter;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user gets, measured the way a user gets it: WMDP over the REST API with the defaults - upload, calibrate
 * (mirt, D by tinyBenchmarks' rule) with the package's test models (rows 0-15) held out, an {@code auto} subset of
 * 100 items per scenario for seeds 0, 1 and 2, and an estimate for each held-out model from its answers on the
 * subset. Reports per seed the mean absolute error per scenario, Kendall's tau of the overall scores and the 90%
 * intervals' coverage, next to the tinyBenchmarks package's own figures on the same split (0.019 cyber, 0.020
 * bio). Run with {@code ./mvnw -Pbenchmark verify -Dtest=RestAccuracyBenchmark}.
 */
@Tag("benchmark")
@IntegrationTest
class RestAccuracyBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int HELD_OUT = 16;

    @LocalServerPort
    int port;

    @Test
    void wmdpWithTheDefaultsOverRest() {
        Http http = new Http(port);
        String benchmark = "wmdp-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/api/v1/benchmarks/" + benchmark;
        http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}");
        assertThat(http.send("PUT", base + "/items", "text/csv", Fixtures.text("wmdp/items.csv")).statusCode())
                .isEqualTo(200);
        assertThat(http.send("POST", base + "/results", "text/csv", Fixtures.text("wmdp/matrix.csv")).statusCode())
                .isEqualTo(201);
        List<String[]> matrix = Fixtures.wmdpMatrix();
        String[] header = matrix.get(0);
        List<String> heldOut = new ArrayList<>();
        for (int r = 1; r <= HELD_OUT; r++) {
            heldOut.add(matrix.get(r)[0]);
        }
        ObjectNode calibration = JSON.createObjectNode();
        calibration.putArray("heldOutModels").addAll(heldOut.stream().map(JSON.getNodeFactory()::stringNode)
                .toList());
        long started = System.nanoTime();
        HttpResponse<String> calibrated = http.send("POST", base + "/calibrations", "application/json",
                calibration.toString());
        assertThat(calibrated.statusCode()).as(calibrated.body()).isEqualTo(202);
        JobWaiter.succeeded(http, calibrated.headers().firstValue("Location").orElseThrow(), Duration.ofMinutes(20));
        double calibrationSeconds = (System.nanoTime() - started) / 1e9;

        BenchmarkReport report = new BenchmarkReport("rest-accuracy", "WMDP over REST with the defaults: auto, 100 "
                + "items per scenario, held-out rows 0-15 (the tinyBenchmarks split)");
        double[] meanScenarioError = new double[3];
        for (int seed = 0; seed < 3; seed++) {
            started = System.nanoTime();
            HttpResponse<String> queued = http.send("POST", base + "/subsets", "application/json",
                    "{\"method\":\"auto\",\"itemsPerScenario\":100,\"seed\":" + seed + "}");
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
            String subsetPath = JobWaiter.succeeded(http, queued.headers().firstValue("Location").orElseThrow(),
                    Duration.ofMinutes(60)).path("result").asString();
            double selectionSeconds = (System.nanoTime() - started) / 1e9;
            JsonNode subset = Http.json(http.get(subsetPath));
            List<String> items = subset.path("items").valueStream().map(i -> i.path("itemId").asString()).toList();
            double[] error = new double[2];
            double[] covered = new double[2];
            double[] estimated = new double[HELD_OUT];
            double[] truthOverall = new double[HELD_OUT];
            for (int r = 1; r <= HELD_OUT; r++) {
                String[] row = matrix.get(r);
                ObjectNode body = JSON.createObjectNode().put("model", row[0]);
                ObjectNode responses = body.putObject("responses");
                for (String item : items) {
                    responses.put(item, Double.parseDouble(row[Arrays.asList(header).indexOf(item)]));
                }
                HttpResponse<String> answer = http.send("POST", subsetPath + "/estimates", "application/json",
                        body.toString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                JsonNode estimate = Http.json(answer);
                double[] truth = truth(header, row);
                int s = 0;
                for (String scenario : List.of("wmdp_cyber", "wmdp_bio")) {
                    JsonNode part = estimate.path("scenarios").path(scenario);
                    error[s] += Math.abs(part.path("estimate").asDouble() - truth[s]) / HELD_OUT;
                    covered[s] += part.path("lower").asDouble() <= truth[s] && truth[s] <= part.path("upper")
                            .asDouble() ? 1.0 / HELD_OUT : 0;
                    s++;
                }
                estimated[r - 1] = estimate.path("overall").path("estimate").asDouble();
                truthOverall[r - 1] = (truth[0] + truth[1]) / 2;
            }
            meanScenarioError[seed] = (error[0] + error[1]) / 2;
            StringBuilder comparison = new StringBuilder();
            for (JsonNode note : subset.path("diagnostics").path("notes")) {
                if (note.asString().startsWith("auto: ")) {
                    comparison.append(comparison.isEmpty() ? "" : "; ").append(note.asString().substring(6));
                }
            }
            report.note("seed " + seed + ", auto's comparison: " + comparison);
            report.row("seed " + seed + ": chose " + subset.path("parameters").path("chosen").asString() + " ("
                    + subset.path("diagnostics").path("estimators") + "; beyond the training models "
                    + subset.path("diagnostics").path("fallbacks") + ")",
                    String.format("MAE cyber %.4f, bio %.4f (mean %.4f); Kendall tau %.2f; 90%% coverage %.2f, %.2f;"
                            + " selection %.0f s", error[0], error[1], meanScenarioError[seed],
                            kendall(estimated, truthOverall), covered[0], covered[1], selectionSeconds),
                    "mean <= 0.016, none > 0.019", meanScenarioError[seed] <= 0.019 ? "no worse than the package"
                            : "WORSE than the package");
        }
        double mean = Arrays.stream(meanScenarioError).average().orElseThrow();
        report.row("mean over seeds 0-2 of the mean per-scenario MAE", String.format("%.4f", mean), "<= 0.016",
                BenchmarkReport.within(mean, 0.016));
        report.note(String.format("calibration (mirt, D chosen among 2, 5, 10, 15) took %.0f s", calibrationSeconds));
        report.note("tinyBenchmarks package on the same split, its own anchors and gp-IRT: 0.019 (cyber), 0.020 "
                + "(bio)");
        report.write();
        assertThat(mean).isFinite();
    }

    /** Each scenario's full score of a model: the mean of its answers over the scenario's items. */
    private static double[] truth(String[] header, String[] row) {
        double[] sum = new double[2];
        int[] count = new int[2];
        for (int c = 1; c < header.length; c++) {
            int s = header[c].startsWith("wmdp_cyber") ? 0 : 1;
            sum[s] += Double.parseDouble(row[c]);
            count[s]++;
        }
        return new double[] {sum[0] / count[0], sum[1] / count[1]};
    }

    private static double kendall(double[] a, double[] b) {
        int concordant = 0;
        int discordant = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double product = Math.signum(a[i] - a[j]) * Math.signum(b[i] - b[j]);
                concordant += product > 0 ? 1 : 0;
                discordant += product < 0 ? 1 : 0;
            }
        }
        return (concordant - discordant) / (double) (a.length * (a.length - 1) / 2);
    }
}
