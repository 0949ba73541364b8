package dev.itembank.sessions;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.JobWaiter;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Adaptive sessions over HTTP on WMDP (64 models, two scenarios): held-out models answer batches from their real
 * rows until a stopping rule ends the session; the stopping rules, bad answers, exclusions, concurrent sessions and a
 * multidimensional calibration.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdaptiveSessionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> HELD_OUT = List.of("microsoft/Phi-3-medium-4k-instruct",
            "internlm/internlm2_5-7b-chat", "01-ai/Yi-1.5-9B-Chat", "MaziyarPanahi/Llama-3-8B-Instruct-v0.8");

    @LocalServerPort
    int port;

    Http http;
    String calibration;
    String mirtCalibration;
    Map<String, Map<String, Double>> rows = new HashMap<>();

    @BeforeAll
    void uploadAndCalibrate() {
        http = new Http(port);
        String benchmark = "adaptive-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}")
                .statusCode()).isEqualTo(201);
        assertThat(http.send("PUT", "/api/v1/benchmarks/" + benchmark + "/items", "text/csv",
                Fixtures.text("wmdp/items.csv")).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/benchmarks/" + benchmark + "/results", "text/csv",
                Fixtures.text("wmdp/matrix.csv")).statusCode()).isEqualTo(201);
        List<String[]> matrix = Fixtures.wmdpMatrix();
        for (String[] row : matrix.subList(1, matrix.size())) {
            Map<String, Double> answers = new HashMap<>();
            for (int c = 1; c < row.length; c++) {
                answers.put(matrix.get(0)[c], Double.parseDouble(row[c]));
            }
            rows.put(row[0], answers);
        }
        String heldOut = JSON.writeValueAsString(HELD_OUT);
        calibration = queueAndWait("/api/v1/benchmarks/" + benchmark + "/calibrations",
                "{\"model\":\"2pl\",\"heldOutModels\":" + heldOut + "}");
        mirtCalibration = queueAndWait("/api/v1/benchmarks/" + benchmark + "/calibrations",
                "{\"model\":\"mirt\",\"dimensions\":2,\"heldOutModels\":" + heldOut + "}");
    }

    @Test
    void aSessionAsksBalancedBatchesUntilMaxItemsAndEstimatesTheHeldOutModel() {
        String model = HELD_OUT.get(1); // (HELD_OUT.get(0), Phi-3-medium, is stronger than every training model)
        Run run = run(calibration, "{\"model\":\"" + model + "\",\"batchSize\":10,\"stop\":{\"maxItems\":40},"
                + "\"seed\":1}", model);
        assertThat(run.last.path("done").asBoolean()).isTrue();
        assertThat(run.last.path("reason").asString()).isEqualTo("maxItems");
        assertThat(run.asked).hasSize(40).doesNotHaveDuplicates();
        assertThat(run.asked.stream().filter(i -> i.startsWith("wmdp_cyber")).count()).as("balanced").isEqualTo(20);
        JsonNode session = Http.json(http.get(run.href));
        assertThat(session.path("asked")).hasSize(40);
        assertThat(session.path("items")).isEmpty();
        assertThat(session.path("ability").path("theta")).hasSize(1);
        assertThat(session.path("ability").path("standardError").get(0).asDouble()).isBetween(0.0, 1.0);
        JsonNode overall = session.path("estimate").path("overall");
        double truth = (mean(model, "wmdp_cyber") + mean(model, "wmdp_bio")) / 2;
        assertThat(overall.path("estimate").asDouble()).as("estimate of a held-out model against its full score "
                + truth).isCloseTo(truth, within(0.08));
        assertThat(overall.path("lower").asDouble()).isLessThan(overall.path("estimate").asDouble());
        assertThat(overall.path("upper").asDouble()).isGreaterThan(overall.path("estimate").asDouble());
        assertThat(session.path("estimate").path("scenarios").propertyNames()).containsExactlyInAnyOrder(
                "wmdp_cyber", "wmdp_bio");
        // each scenario's item choice is the design of lower simulated error, and its estimate is read the same way
        for (String scenario : List.of("wmdp_cyber", "wmdp_bio")) {
            JsonNode choice = session.path("itemChoice").path(scenario);
            double information = choice.path("informationError").asDouble();
            double random = choice.path("randomError").asDouble();
            assertThat(information).as(scenario).isPositive();
            assertThat(random).as(scenario).isPositive();
            assertThat(choice.path("choice").asString()).as(scenario).isEqualTo(random < information ? "random"
                    : "information");
            assertThat(session.path("estimate").path("scenarios").path(scenario).path("estimator").asString())
                    .isEqualTo(random < information ? "random-sample" : "adaptive");
        }
        // the same seed and the same answers ask the same items (a resumed session asks what it would have)
        Run again = run(calibration, "{\"model\":\"" + model + "\",\"batchSize\":10,\"stop\":{\"maxItems\":40},"
                + "\"seed\":1}", model);
        assertThat(again.asked).isEqualTo(run.asked);
    }

    @Test
    void theStandardErrorAndIntervalRulesStopEarly() {
        String model = HELD_OUT.get(0);
        Run byError = run(calibration, "{\"model\":\"" + model + "\",\"batchSize\":5,\"stop\":{\"standardError\":0.3,"
                + "\"maxItems\":400}}", model);
        assertThat(byError.last.path("reason").asString()).isEqualTo("standardError");
        assertThat(byError.asked.size()).isLessThan(400);
        JsonNode session = Http.json(http.get(byError.href));
        assertThat(session.path("ability").path("standardError").get(0).asDouble()).isLessThanOrEqualTo(0.3);

        Run byInterval = run(calibration, "{\"model\":\"" + model + "\",\"batchSize\":5,\"stop\":"
                + "{\"intervalHalfWidth\":0.06,\"maxItems\":400}}", model);
        assertThat(byInterval.last.path("reason").asString()).isEqualTo("intervalHalfWidth");
        JsonNode overall = Http.json(http.get(byInterval.href)).path("estimate").path("overall");
        assertThat((overall.path("upper").asDouble() - overall.path("lower").asDouble()) / 2)
                .isLessThanOrEqualTo(0.06 + 1e-9);
    }

    @Test
    void badAnswersAreProblemsNamingTheItemsAndNothingChanges() {
        String model = HELD_OUT.get(2);
        JsonNode created = create(calibration, "{\"model\":\"" + model + "\",\"batchSize\":4,\"exclude\":"
                + "[\"wmdp_bio_0\",\"wmdp_bio_1\"],\"scenarios\":[\"wmdp_bio\"]}");
        String href = created.path("href").asString();
        List<String> pending = strings(created.path("items"));
        assertThat(pending).hasSize(4).allMatch(i -> i.startsWith("wmdp_bio")).doesNotContain("wmdp_bio_0",
                "wmdp_bio_1");

        HttpResponse<String> notAsked = answers(href, Map.of("wmdp_cyber_3", 1.0));
        assertThat(notAsked.statusCode()).isEqualTo(422);
        assertThat(notAsked.body()).contains("wmdp_cyber_3").contains("itemsNotAsked");
        HttpResponse<String> outOfRange = http.send("POST", href + "/answers", "application/json",
                "{\"responses\":{\"" + pending.get(0) + "\":1.5}}");
        assertThat(outOfRange.statusCode()).isEqualTo(422);
        assertThat(outOfRange.body()).contains(pending.get(0)).contains(model);
        HttpResponse<String> notAScore = http.send("POST", href + "/answers", "application/json",
                "{\"responses\":{\"" + pending.get(1) + "\":\"yes\"}}");
        assertThat(notAScore.statusCode()).isEqualTo(422);
        assertThat(notAScore.body()).contains(pending.get(1)).contains("true/false or null");
        assertThat(http.send("POST", href + "/answers", "application/json", "{}").statusCode()).isEqualTo(422);

        // part of the batch: the rest stays pending, no new items yet
        HttpResponse<String> part = answers(href, Map.of(pending.get(0), 1.0));
        assertThat(part.statusCode()).as(part.body()).isEqualTo(200);
        assertThat(strings(Http.json(part).path("items"))).containsExactlyElementsOf(pending.subList(1, 4));
        HttpResponse<String> twice = answers(href, Map.of(pending.get(0), 0.0));
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(twice.body()).contains(pending.get(0)).contains("itemsAnsweredBefore");

        assertThat(http.get("/api/v1/sessions/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(http.send("POST", "/api/v1/calibrations/" + calibration + "/sessions", "application/json", "{}")
                .statusCode()).isEqualTo(422);
        HttpResponse<String> unknownScenario = http.send("POST", "/api/v1/calibrations/" + calibration + "/sessions",
                "application/json", "{\"model\":\"m\",\"scenarios\":[\"wmdp_chem\"]}");
        assertThat(unknownScenario.statusCode()).isEqualTo(422);
        assertThat(unknownScenario.body()).contains("wmdp_chem");
        assertThat(http.send("POST", "/api/v1/calibrations/" + UUID.randomUUID() + "/sessions", "application/json",
                "{\"model\":\"m\"}").statusCode()).isEqualTo(404);

        Run finished = run(calibration, "{\"model\":\"" + model + "\",\"batchSize\":4,\"stop\":{\"maxItems\":8},"
                + "\"scenarios\":[\"wmdp_bio\"]}", model);
        HttpResponse<String> afterDone = answers(finished.href, Map.of(finished.asked.get(0), 1.0));
        assertThat(afterDone.statusCode()).isEqualTo(409);
        JsonNode estimate = Http.json(http.get(finished.href)).path("estimate");
        assertThat(estimate.path("scenarios").propertyNames()).containsExactly("wmdp_bio");
    }

    @Test
    void concurrentSessionsRunIndependentlyAndOneBatchIsAnsweredOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Run>> runs = new ArrayList<>();
            for (String model : HELD_OUT) {
                runs.add(pool.submit(() -> run(calibration, "{\"model\":\"" + model + "\",\"batchSize\":10,"
                        + "\"stop\":{\"maxItems\":30},\"seed\":7}", model)));
            }
            Set<List<String>> sequences = new HashSet<>();
            for (Future<Run> run : runs) {
                Run done = run.get();
                assertThat(done.asked).hasSize(30).doesNotHaveDuplicates();
                sequences.add(done.asked);
            }
            assertThat(sequences).as("different models get different items").hasSizeGreaterThan(1);

            JsonNode created = create(calibration, "{\"model\":\"race\",\"batchSize\":6}");
            String href = created.path("href").asString();
            Map<String, Double> batch = new HashMap<>();
            strings(created.path("items")).forEach(item -> batch.put(item, rows.get(HELD_OUT.get(0)).get(item)));
            List<Future<HttpResponse<String>>> racing = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                racing.add(pool.submit(() -> answers(href, batch)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> response : racing) {
                statuses.add(response.get().statusCode());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409);
            assertThat(Http.json(http.get(href)).path("asked")).hasSize(12);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSessionOnAMultidimensionalCalibrationReportsEveryDimension() {
        String model = HELD_OUT.get(3);
        Run run = run(mirtCalibration, "{\"model\":\"" + model + "\",\"batchSize\":10,\"stop\":{\"maxItems\":40}}",
                model);
        assertThat(run.asked).hasSize(40).doesNotHaveDuplicates();
        JsonNode session = Http.json(http.get(run.href));
        assertThat(session.path("ability").path("theta")).hasSize(2);
        assertThat(session.path("ability").path("standardError")).hasSize(2);
        double truth = (mean(model, "wmdp_cyber") + mean(model, "wmdp_bio")) / 2;
        assertThat(session.path("estimate").path("overall").path("estimate").asDouble()).isCloseTo(truth,
                within(0.1));
    }

    private record Run(String href, List<String> asked, JsonNode last) {
    }

    /** Creates a session and answers every batch from the model's row until it is done. */
    private Run run(String calibrationId, String body, String model) {
        JsonNode step = create(calibrationId, body);
        String href = step.path("href").asString();
        List<String> asked = new ArrayList<>();
        for (int guard = 0; guard < 1000 && !step.path("done").asBoolean(); guard++) {
            Map<String, Double> batch = new HashMap<>();
            for (String item : strings(step.path("items"))) {
                asked.add(item);
                batch.put(item, rows.get(model).get(item));
            }
            HttpResponse<String> response = answers(href, batch);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            step = Http.json(response);
        }
        return new Run(href, asked, step);
    }

    private JsonNode create(String calibrationId, String body) {
        HttpResponse<String> created = http.send("POST", "/api/v1/calibrations/" + calibrationId + "/sessions",
                "application/json", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location").orElseThrow()).startsWith("/api/v1/sessions/");
        return Http.json(created);
    }

    private HttpResponse<String> answers(String href, Map<String, Double> responses) {
        return http.send("POST", href + "/answers", "application/json",
                JSON.writeValueAsString(Map.of("responses", responses)));
    }

    private double mean(String model, String scenario) {
        return rows.get(model).entrySet().stream().filter(e -> e.getKey().startsWith(scenario))
                .mapToDouble(Map.Entry::getValue).average().orElseThrow();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    private String queueAndWait(String path, String body) {
        HttpResponse<String> queued = http.send("POST", path, "application/json", body);
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String result = JobWaiter.succeeded(http, queued.headers().firstValue("Location").orElseThrow(), TIMEOUT)
                .path("result").asString();
        return result.substring(result.lastIndexOf('/') + 1);
    }
}
