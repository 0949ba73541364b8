package dev.itembank.flow;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
 * Results uploaded as lm-evaluation-harness samples (20 models, 60 documents in each of two tasks), a 2PL
 * calibration, two parallel forms of 20 items per task, and estimates submitted as JSON, samples and CSV, with
 * what a client gets wrong answered as problems.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubsetsAndEstimatesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int DOCS = 60;

    @LocalServerPort
    int port;

    Http http;
    String benchmark;
    List<String[]> matrix;
    JsonNode subset;
    String subsetPath;

    @BeforeAll
    void uploadCalibrateAndSelect() {
        http = new Http(port);
        benchmark = "harness-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}")
                .statusCode()).isEqualTo(201);
        matrix = Fixtures.wmdpMatrix();
        for (int row = 1; row <= 20; row++) {
            HttpResponse<String> upload = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/results?model="
                    + "m" + row, "application/x-ndjson", samples(row));
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        }
        JsonNode calibrationJob = queueAndWait("/api/v1/benchmarks/" + benchmark + "/calibrations",
                "{\"model\":\"2pl\",\"heldOutModels\":[\"m1\",\"m2\",\"m3\"]}");
        String calibrationPath = calibrationJob.path("result").asString();
        assertThat(http.get(calibrationPath + "?format=csv").body()).startsWith("item_id,a,d,g,u\n");
        JsonNode subsetJob = queueAndWait("/api/v1/benchmarks/" + benchmark + "/subsets",
                "{\"method\":\"random\",\"itemsPerScenario\":20,\"forms\":2,\"seed\":5}");
        subsetPath = subsetJob.path("result").asString();
        subset = Http.json(http.get(subsetPath));
    }

    /** Model row's answers to the first DOCS items of each WMDP task, as harness samples with task names. */
    private String samples(int row) {
        String[] header = matrix.get(0);
        StringBuilder lines = new StringBuilder();
        for (String task : List.of("wmdp_cyber", "wmdp_bio")) {
            int doc = 0;
            for (int c = 1; c < header.length && doc < DOCS; c++) {
                if (header[c].startsWith(task)) {
                    lines.append("{\"doc_id\":").append(doc++).append(",\"task\":\"").append(task)
                            .append("\",\"acc\":").append(matrix.get(row)[c]).append("}\n");
                }
            }
        }
        return lines.toString();
    }

    private JsonNode queueAndWait(String path, String body) {
        HttpResponse<String> queued = http.send("POST", path, "application/json", body);
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        return JobWaiter.succeeded(http, queued.headers().firstValue("Location").orElseThrow(), TIMEOUT);
    }

    @Test
    void parallelFormsAreDisjointSubsetsOfTheSameBudget() {
        assertThat(subset.path("forms")).hasSize(2);
        JsonNode second = Http.json(http.get(subset.path("forms").get(1).asString()));
        assertThat(second.path("form").asInt()).isEqualTo(2);
        assertThat(second.path("version").asInt()).isEqualTo(subset.path("version").asInt() + 1);
        Set<String> first = itemIds(subset);
        Set<String> other = itemIds(second);
        assertThat(first).hasSize(40);
        assertThat(other).hasSize(40).doesNotContainAnyElementsOf(first);
        assertThat(subset.path("backtest").path("heldOut").path("models").asInt()).isEqualTo(3);
    }

    /**
     * A stepwise subset over REST: its budget of distinct items, what it did in its notes (17 training models: it
     * advises against itself, and only 16 items per scenario could add anything), and estimates that answer.
     */
    @Test
    void aStepwiseSubsetHoldsItsBudgetSaysWhatItDidAndIsEstimated() {
        JsonNode job = queueAndWait("/api/v1/benchmarks/" + benchmark + "/subsets",
                "{\"method\":\"stepwise\",\"itemsPerScenario\":20,\"seed\":2}");
        JsonNode stepwise = Http.json(http.get(job.path("result").asString()));
        assertThat(itemIds(stepwise)).hasSize(40);
        assertThat(stepwise.path("method").asString()).isEqualTo("stepwise");
        List<String> notes = new java.util.ArrayList<>();
        stepwise.path("diagnostics").path("notes").forEach(note -> notes.add(note.asString()));
        assertThat(notes).anyMatch(note -> note.contains("by stepwise regression") && note.contains("drawn at random"))
                .anyMatch(note -> note.contains("only 17 training models"));
        ObjectNode answers = JSON.createObjectNode().put("model", "m2");
        ObjectNode responses = answers.putObject("responses");
        Map<String, Double> row = answersOf(2);
        stepwise.path("items").forEach(item -> responses.put(item.path("itemId").asString(),
                row.get(item.path("itemId").asString())));
        HttpResponse<String> estimate = http.send("POST", job.path("result").asString() + "/estimates",
                "application/json", answers.toString());
        assertThat(estimate.statusCode()).as(estimate.body()).isEqualTo(201);
        JsonNode overall = Http.json(estimate).path("overall");
        assertThat(overall.path("lower").asDouble()).isLessThanOrEqualTo(overall.path("estimate").asDouble());
        assertThat(overall.path("upper").asDouble()).isGreaterThanOrEqualTo(overall.path("estimate").asDouble());
    }

    /**
     * A stratified subset keeps its order through PostgreSQL and HTTP: within each task its items come back easiest
     * first by their mean score over the training models (m4-m20), one per stratum of difficulty, the order from which
     * its sampling error reads neighbouring strata ({@code Reading}). A store that returned them in any other order
     * (by id, say) would leave that error valid but wider, and this test red.
     */
    @Test
    void aStratifiedSubsetComesBackInStratumOrder() {
        JsonNode job = queueAndWait("/api/v1/benchmarks/" + benchmark + "/subsets",
                "{\"method\":\"stratified\",\"itemsPerScenario\":20,\"seed\":3}");
        JsonNode stratified = Http.json(http.get(job.path("result").asString()));
        Map<String, Double> easiness = new java.util.HashMap<>();
        for (int row = 4; row <= 20; row++) {
            answersOf(row).forEach((item, answer) -> easiness.merge(item, answer / 17, Double::sum));
        }
        Map<String, List<Double>> byTask = new java.util.TreeMap<>();
        stratified.path("items").forEach(item -> {
            String id = item.path("itemId").asString();
            byTask.computeIfAbsent(id.split("/")[0], task -> new ArrayList<>()).add(easiness.get(id));
        });
        assertThat(byTask).containsOnlyKeys("wmdp_bio", "wmdp_cyber");
        byTask.forEach((task, scores) -> assertThat(scores).as(task).hasSize(20)
                .isSortedAccordingTo(Double::compare));
    }

    @Test
    void theSubsetExportsAsLmEvalSamplesArgument() {
        HttpResponse<String> response = http.get(subsetPath + "?format=lm-eval");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode tasks = Http.json(response);
        assertThat(tasks.propertyNames()).containsExactlyInAnyOrder("wmdp_cyber", "wmdp_bio");
        Set<String> exported = new HashSet<>();
        tasks.properties().forEach(task -> task.getValue().forEach(doc -> {
            assertThat(doc.isIntegralNumber()).as("doc ids are numbers").isTrue();
            exported.add(task.getKey() + "/" + doc.asInt());
        }));
        assertThat(exported).isEqualTo(itemIds(subset));
    }

    @Test
    void anEstimateFromHarnessSamplesMatchesTheSameAnswersAsJson() {
        String model = "m1";
        HttpResponse<String> fromSamples = http.send("POST", subsetPath + "/estimates?model=" + model,
                "application/x-ndjson", subsetSamples(1));
        assertThat(fromSamples.statusCode()).as(fromSamples.body()).isEqualTo(201);
        HttpResponse<String> fromJson = http.send("POST", subsetPath + "/estimates", "application/json",
                body(model, 1, Set.of()).toString());
        assertThat(fromJson.statusCode()).as(fromJson.body()).isEqualTo(201);
        JsonNode a = Http.json(fromSamples).path("overall");
        JsonNode b = Http.json(fromJson).path("overall");
        assertThat(a.path("estimate").asDouble()).isEqualTo(b.path("estimate").asDouble());
        assertThat(a.path("lower").asDouble()).isLessThanOrEqualTo(a.path("estimate").asDouble());
        assertThat(a.path("upper").asDouble()).isGreaterThanOrEqualTo(a.path("estimate").asDouble());
        assertThat(Http.json(fromJson).path("scenarios").path("wmdp_cyber").path("estimators").has("gpirt")).isTrue();
        // a random subset is read by AIPW too, and every part says whether the model lies beyond the training ones
        assertThat(Http.json(fromJson).path("scenarios").path("wmdp_cyber").path("estimators").has("aipw")).isTrue();
        assertThat(Http.json(fromJson).path("overall").path("extrapolated").isBoolean()).isTrue();
    }

    /**
     * A batch (leaderboard backfill) gives each model the estimate it gets alone, lands all or none, and the
     * subset's estimates are listed per model, newest first.
     */
    @Test
    void aBatchEstimatesEachModelAsAloneAndEstimatesAreListedPerModel() {
        JsonNode alone = Http.json(http.send("POST", subsetPath + "/estimates", "application/json",
                body("m4", 4, Set.of()).toString()));
        String batch = "{\"models\":[" + body("m4", 4, Set.of()) + "," + body("m5", 5, Set.of()) + "]}";
        HttpResponse<String> both = http.send("POST", subsetPath + "/estimates/batch", "application/json", batch);
        assertThat(both.statusCode()).as(both.body()).isEqualTo(201);
        JsonNode estimates = Http.json(both);
        assertThat(estimates).hasSize(2);
        assertThat(estimates.get(0).path("model").asString()).isEqualTo("m4");
        assertThat(estimates.get(0).path("overall").path("estimate").asDouble())
                .isCloseTo(alone.path("overall").path("estimate").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(estimates.get(1).path("model").asString()).isEqualTo("m5");

        String bad = "{\"models\":[" + body("m6", 6, Set.of()) + ",{\"model\":\"m7\",\"responses\":{\"no-such-item"
                + "\":1}}]}";
        HttpResponse<String> refused = http.send("POST", subsetPath + "/estimates/batch", "application/json", bad);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(Http.json(refused).path("model").asString()).isEqualTo("m7");
        assertThat(Http.json(http.get(subsetPath + "/estimates?model=m6"))).as("all or none").isEmpty();

        JsonNode listed = Http.json(http.get(subsetPath + "/estimates?model=m4"));
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).path("id").asString()).isEqualTo(estimates.get(0).path("id").asString());
        assertThat(listed.get(1).path("id").asString()).isEqualTo(alone.path("id").asString());
        assertThat(listed.get(0).path("href").asString()).startsWith("/api/v1/estimates/");
        assertThat(http.get(subsetPath + "/estimates?limit=0").statusCode()).isEqualTo(422);
    }

    /** Operations see the queue, estimates and uploads as metrics, and every answer names its request. */
    @Test
    void domainMetricsAreScrapedAndRequestsCarryAnId() {
        http.send("POST", subsetPath + "/estimates", "application/json", body("m8", 8, Set.of()).toString());
        String scrape = http.get("/actuator/prometheus").body();
        assertThat(scrape).contains("itembank_estimates_seconds_count{kind=\"single\"", "itembank_jobs{",
                "state=\"succeeded\"", "itembank_jobs_queue_depth", "itembank_jobs_duration_seconds_count{",
                "itembank_uploads_cells_count");
        HttpResponse<String> echoed = http.send(http.request("/api/v1/benchmarks").header("X-Request-Id",
                "trace-42").GET().build());
        assertThat(echoed.headers().firstValue("X-Request-Id")).contains("trace-42");
        assertThat(http.get("/api/v1/benchmarks").headers().firstValue("X-Request-Id")).isPresent();
    }

    /** A subset that an older release stored with an item twice is estimated (it was a 500 on every estimate). */
    @Test
    void aSubsetStoredWithAnItemTwiceIsStillEstimated(
            @org.springframework.beans.factory.annotation.Autowired org.springframework.jdbc.core.JdbcTemplate jdbc) {
        UUID original = UUID.fromString(subsetPath.substring(subsetPath.lastIndexOf('/') + 1));
        UUID copy = UUID.randomUUID();
        jdbc.update("""
                insert into subset (id, benchmark_id, version, dataset_version, calibration_id, job_id, request, method,
                    parameters, seed, items_per_scenario, total_items, form, forms, item_ids, scenarios, columns,
                    weights, diagnostics, backtest, estimation)
                select ?, benchmark_id, (select max(version) + 1 from subset s where s.benchmark_id = subset.benchmark_id),
                    dataset_version, calibration_id, job_id, request, method, parameters, seed, items_per_scenario,
                    total_items + 1, 1, 1, array_append(item_ids, item_ids[1]), array_append(scenarios, scenarios[1]),
                    array_append(columns, columns[1]), array_append(weights, weights[1]), diagnostics, backtest,
                    estimation
                from subset where id = ?""", copy, original);
        HttpResponse<String> estimate = http.send("POST", "/api/v1/subsets/" + copy + "/estimates",
                "application/json", body("m9", 9, Set.of()).toString());
        assertThat(estimate.statusCode()).as(estimate.body()).isEqualTo(201);
        JsonNode answer = Http.json(estimate);
        assertThat(answer.path("missing")).isEmpty();
        assertThat(answer.path("overall").path("estimate").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void unansweredItemsWidenTheIntervalAndAreListed() {
        List<String> cyber = new ArrayList<>();
        subset.path("items").forEach(item -> {
            if (item.path("scenario").asString().equals("wmdp_cyber")) {
                cyber.add(item.path("itemId").asString());
            }
        });
        Set<String> skipped = new HashSet<>(cyber.subList(0, 8));
        JsonNode full = Http.json(http.send("POST", subsetPath + "/estimates", "application/json",
                body("m2", 2, Set.of()).toString())).path("scenarios").path("wmdp_cyber");
        HttpResponse<String> partial = http.send("POST", subsetPath + "/estimates", "application/json",
                body("m2", 2, skipped).toString());
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(201);
        JsonNode answer = Http.json(partial);
        Set<String> missing = new HashSet<>();
        answer.path("missing").forEach(item -> missing.add(item.asString()));
        assertThat(missing).isEqualTo(skipped);
        JsonNode cyberPart = answer.path("scenarios").path("wmdp_cyber");
        assertThat(cyberPart.path("answered").asInt()).isEqualTo(12);
        // half-widths scale by sqrt(20 / 12) unless clipped at 0 or 1
        double fullWidth = full.path("upper").asDouble() - full.path("lower").asDouble();
        double partialWidth = cyberPart.path("upper").asDouble() - cyberPart.path("lower").asDouble();
        assertThat(partialWidth).isGreaterThan(fullWidth);
    }

    @Test
    void whatAClientGetsWrongIsAProblemNamingIt() {
        ObjectNode outside = body("m3", 3, Set.of());
        ((ObjectNode) outside.path("responses")).put("wmdp_cyber/59999", 1);
        HttpResponse<String> response = http.send("POST", subsetPath + "/estimates", "application/json",
                outside.toString());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(Http.json(response).path("itemsOutsideSubset").get(0).asString()).isEqualTo("wmdp_cyber/59999");

        ObjectNode outOfRange = body("m3", 3, Set.of());
        String item = subset.path("items").get(0).path("itemId").asString();
        ((ObjectNode) outOfRange.path("responses")).put(item, 1.5);
        response = http.send("POST", subsetPath + "/estimates", "application/json", outOfRange.toString());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(Http.json(response).path("itemId").asString()).isEqualTo(item);

        Set<String> most = new HashSet<>();
        subset.path("items").forEach(i -> {
            if (i.path("scenario").asString().equals("wmdp_bio") && most.size() < 11) {
                most.add(i.path("itemId").asString());
            }
        });
        response = http.send("POST", subsetPath + "/estimates", "application/json", body("m3", 3, most).toString());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(Http.json(response).path("scenarios").get(0).path("scenario").asString()).isEqualTo("wmdp_bio");

        response = http.send("POST", subsetPath + "/estimates", "application/json", "{\"model\":\"x\",\"responses\":{}}");
        assertThat(response.statusCode()).isEqualTo(422);
        response = http.send("POST", "/api/v1/subsets/" + UUID.randomUUID() + "/estimates", "application/json",
                body("m3", 3, Set.of()).toString());
        assertThat(response.statusCode()).isEqualTo(404);
        response = http.send("POST", subsetPath + "/estimates?level=1.2", "application/json",
                body("m3", 3, Set.of()).toString());
        assertThat(response.statusCode()).isEqualTo(422);
    }

    @Test
    void badCalibrationAndSubsetRequestsAreRejectedBeforeQueueing() {
        Map<String, String> calibrations = Map.of(
                "{\"model\":\"5pl\"}", "model",
                "{\"model\":\"mirt\",\"dimensions\":40}", "dimensions",
                "{\"heldOutModels\":[\"nobody\"]}", "heldOutModels",
                "{\"version\":99}", "version",
                "{\"preprocess\":\"magic\"}", "preprocess");
        calibrations.forEach((body, field) -> {
            HttpResponse<String> response = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/calibrations",
                    "application/json", body);
            assertThat(response.statusCode()).as(body).isEqualTo(422);
            assertThat(Http.json(response).path("field").asString()).as(body).isEqualTo(field);
        });
        Map<String, String> subsets = Map.of(
                "{\"method\":\"astrology\"}", "method",
                "{\"itemsPerScenario\":10,\"totalItems\":20}", "totalItems",
                "{\"forms\":0}", "forms",
                "{\"calibration\":\"" + UUID.randomUUID() + "\"}", "calibration");
        subsets.forEach((body, field) -> {
            HttpResponse<String> response = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/subsets",
                    "application/json", body);
            assertThat(response.statusCode()).as(body).isEqualTo(422);
            assertThat(Http.json(response).path("field").asString()).as(body).isEqualTo(field);
        });
    }

    private Set<String> itemIds(JsonNode subset) {
        Set<String> ids = new HashSet<>();
        subset.path("items").forEach(item -> ids.add(item.path("itemId").asString()));
        return ids;
    }

    /** A JSON estimate body: the row's answers to the subset's items, leaving out {@code skipped}. */
    private ObjectNode body(String model, int row, Set<String> skipped) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ObjectNode responses = body.putObject("responses");
        Map<String, Double> answers = answersOf(row);
        subset.path("items").forEach(item -> {
            String id = item.path("itemId").asString();
            if (!skipped.contains(id)) {
                responses.put(id, answers.get(id));
            }
        });
        return body;
    }

    private String subsetSamples(int row) {
        Map<String, Double> answers = answersOf(row);
        StringBuilder lines = new StringBuilder();
        subset.path("items").forEach(item -> {
            String[] parts = item.path("itemId").asString().split("/");
            lines.append("{\"doc_id\":").append(parts[1]).append(",\"task\":\"").append(parts[0]).append("\",\"acc\":")
                    .append(answers.get(item.path("itemId").asString())).append("}\n");
        });
        return lines.toString();
    }

    private Map<String, Double> answersOf(int row) {
        Map<String, Double> answers = new java.util.HashMap<>();
        for (String line : samples(row).split("\n")) {
            JsonNode sample = JSON.readTree(line);
            answers.put(sample.path("task").asString() + "/" + sample.path("doc_id").asInt(),
                    sample.path("acc").asDouble());
        }
        return answers;
    }
}
