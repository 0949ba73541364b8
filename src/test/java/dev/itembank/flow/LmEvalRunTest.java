package dev.itembank.flow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.itembank.cli.FolderArchive;
import dev.itembank.cli.ItembankCli;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.JobWaiter;
import dev.itembank.support.LmEvalRunFolder;
import dev.itembank.support.TestKeys;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An lm-evaluation-harness run as users make it, end to end: 40 models' output folders (a group with subtasks, a
 * task with two filters, a continuous metric) imported in one request as one version; a subset selected and
 * exported as lm_eval's {@code --samples} and command line; a new model's run of the subset written as the harness
 * writes it; and its estimate made from that folder over REST (tar.gz, zip, multipart), through the command-line
 * client and through the Python client, each equal to the estimate from the same answers as JSON.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LmEvalRunTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int MODELS = 40;

    @LocalServerPort
    int port;

    @TempDir
    Path temp;

    Http http;
    String benchmark;
    JsonNode imported;
    String subsetPath;
    String subsetId;
    String calibrationId;

    @BeforeAll
    void importCalibrateAndSelect(@TempDir Path out) throws IOException {
        http = new Http(port);
        benchmark = "lmeval-" + UUID.randomUUID().toString().substring(0, 8);
        create(benchmark);
        for (int m = 0; m < MODELS; m++) {
            LmEvalRunFolder.writeModel(out, String.format("org/model-%02d", m), LmEvalRunFolder.ability(m, MODELS),
                    (task, doc) -> true, "", 5);
        }
        HttpResponse<String> upload = post("/api/v1/benchmarks/" + benchmark + "/results", "application/gzip",
                FolderArchive.tarGz(out));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        imported = Http.json(upload);
        JsonNode calibration = queueAndWait("/api/v1/benchmarks/" + benchmark + "/calibrations",
                "{\"model\":\"2pl\",\"heldOutModels\":[\"org/model-03\",\"org/model-17\",\"org/model-31\"]}");
        assertThat(calibration.path("result").asString()).startsWith("/api/v1/calibrations/");
        calibrationId = calibration.path("result").asString().substring("/api/v1/calibrations/".length());
        JsonNode subsetJob = queueAndWait("/api/v1/benchmarks/" + benchmark + "/subsets",
                "{\"method\":\"random\",\"itemsPerScenario\":8,\"seed\":4}");
        subsetPath = subsetJob.path("result").asString();
        subsetId = subsetPath.substring(subsetPath.lastIndexOf('/') + 1);
    }

    @Test
    void oneRequestImportsEveryModelAndTaskAsOneVersion() {
        assertThat(imported.path("version").asInt()).isEqualTo(1);
        assertThat(imported.path("models").asInt()).isEqualTo(MODELS);
        int items = LmEvalRunFolder.TASKS.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(imported.path("items").asInt()).isEqualTo(items);
        // the group is the scenario, its subtasks sub-scenarios; tasks in no group are scenarios of their own
        assertThat(imported.path("scenarios").path("mmlu").asInt()).isEqualTo(60);
        assertThat(imported.path("scenarios").path("gsm8k").asInt()).isEqualTo(30);
        assertThat(imported.path("scenarios").path("truthfulqa_mc2").asInt()).isEqualTo(30);
        assertThat(imported.path("binary").asBoolean()).as("truthfulqa_mc2 scores are probabilities").isFalse();
        assertThat(imported.path("imported").path("models")).hasSize(MODELS);
        assertThat(imported.path("imported").path("models").get(0).path("samples").path("gsm8k").asInt())
                .as("one filter's samples").isEqualTo(30);
        assertThat(imported.path("warnings").toString()).contains("gsm8k").contains("strict-match")
                .contains("flexible-extract");
        assertThat(Http.json(http.get("/api/v1/benchmarks/" + benchmark + "/versions"))).hasSize(1);
        JsonNode itemViews = Http.json(http.get("/api/v1/benchmarks/" + benchmark + "/versions/1/items"));
        JsonNode algebra = itemViews.valueStream().filter(item -> item.path("itemId").asString()
                .equals("mmlu_algebra/3")).findFirst().orElseThrow();
        assertThat(algebra.path("scenario").asString()).isEqualTo("mmlu");
        assertThat(algebra.path("subscenario").asString()).isEqualTo("mmlu_algebra");
        // the first filter's scores, exactly as the samples carry them
        JsonNode scores = imported.path("modelScores");
        JsonNode first = scores.valueStream().filter(s -> s.path("model").asString().equals("org/model-00"))
                .findFirst().orElseThrow();
        double expected = 0;
        for (Map.Entry<String, Integer> task : LmEvalRunFolder.TASKS.entrySet()) {
            for (int doc = 0; doc < task.getValue(); doc++) {
                expected += LmEvalRunFolder.score(task.getKey(), doc, LmEvalRunFolder.ability(0, MODELS),
                        "strict-match");
            }
        }
        assertThat(first.path("meanScore").asDouble()).isCloseTo(expected / items, within(1e-6));
    }

    @Test
    void aSecondTaskForAModelKeepsTheFirstTasksCellsUnlessReplaced() throws IOException {
        String name = "merge-" + UUID.randomUUID().toString().substring(0, 8);
        create(name);
        Path first = temp.resolve("first");
        LmEvalRunFolder.writeModel(first, "org/solo", 0.3, (task, doc) -> task.equals("mmlu_algebra"), "", 5);
        assertThat(post("/api/v1/benchmarks/" + name + "/results", "application/gzip", FolderArchive.tarGz(first))
                .statusCode()).isEqualTo(201);
        Path second = temp.resolve("second");
        LmEvalRunFolder.writeModel(second, "org/solo", 0.3, (task, doc) -> task.equals("gsm8k"), "", 5);
        HttpResponse<String> merged = post("/api/v1/benchmarks/" + name + "/results", "application/gzip",
                FolderArchive.tarGz(second));
        assertThat(merged.statusCode()).as(merged.body()).isEqualTo(201);
        JsonNode version = Http.json(merged);
        assertThat(version.path("models").asInt()).isEqualTo(1);
        assertThat(version.path("replacedModels").toString()).contains("org/solo");
        assertThat(version.path("cells").path("mode").asString()).isEqualTo("merge");
        assertThat(version.path("cells").path("added").asLong()).isEqualTo(30);
        assertThat(version.path("cells").path("replaced").asLong()).isZero();
        assertThat(answered(version, "org/solo")).as("both tasks' cells").isEqualTo(60);

        // JSON bodies merge the same way: one re-run item replaced, one new item added
        HttpResponse<String> json = http.send("POST", "/api/v1/benchmarks/" + name + "/results", "application/json",
                "{\"models\":[{\"model\":\"org/solo\",\"responses\":{\"gsm8k/0\":0.5,\"extra/1\":1}}]}");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(201);
        assertThat(Http.json(json).path("cells").path("added").asLong()).isEqualTo(1);
        assertThat(Http.json(json).path("cells").path("replaced").asLong()).isEqualTo(1);
        assertThat(answered(Http.json(json), "org/solo")).isEqualTo(61);

        // mode=replace keeps the old behaviour: the row is the upload's alone
        HttpResponse<String> replaced = post("/api/v1/benchmarks/" + name + "/results?mode=replace",
                "application/gzip", FolderArchive.tarGz(second));
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(201);
        assertThat(Http.json(replaced).path("cells").path("mode").asString()).isEqualTo("replace");
        assertThat(answered(Http.json(replaced), "org/solo")).isEqualTo(30);
        HttpResponse<String> badMode = http.send("POST", "/api/v1/benchmarks/" + name + "/results?mode=append",
                "text/csv", "model,q\nm,1\n");
        assertThat(badMode.statusCode()).isEqualTo(422);
        assertThat(badMode.body()).contains("mode");
    }

    @Test
    void aSubsetRunFolderGivesTheSameEstimateOverRestTheCliAndPython() throws Exception {
        JsonNode samples = Http.json(http.get(subsetPath + "?format=lm-eval"));
        Set<String> exported = new HashSet<>();
        samples.properties().forEach(task -> task.getValue().forEach(doc -> exported.add(task.getKey() + "/"
                + doc.asInt())));
        Set<String> subsetItems = new HashSet<>();
        Http.json(http.get(subsetPath)).path("items").forEach(item -> subsetItems.add(item.path("itemId").asString()));
        assertThat(exported).as("8 per scenario: mmlu (a group), gsm8k, truthfulqa_mc2").isEqualTo(subsetItems)
                .hasSize(24);
        String command = http.get(subsetPath + "?format=lm-eval-command&model=org/newcomer").body();
        assertThat(command).startsWith("lm_eval --model hf --model_args pretrained='org/newcomer'")
                .contains("--num_fewshot 5").contains("--samples '" + JSON.writeValueAsString(samples) + "'")
                .contains("--log_samples");

        double ability = 0.4;
        Path run = temp.resolve("newcomer-run");
        LmEvalRunFolder.writeModel(run, "org/newcomer", ability, (task, doc) -> exported.contains(task + "/" + doc),
                "", 5);

        HttpResponse<String> fromArchive = post(subsetPath + "/estimates", "application/gzip",
                FolderArchive.tarGz(run));
        assertThat(fromArchive.statusCode()).as(fromArchive.body()).isEqualTo(201);
        JsonNode estimate = Http.json(fromArchive);
        assertThat(estimate.path("model").asString()).isEqualTo("org/newcomer");
        assertThat(estimate.path("warnings")).as("same prompts, same n-shot").isEmpty();
        assertThat(estimate.path("missing")).isEmpty();

        ObjectNode responses = JSON.createObjectNode();
        for (String item : exported) {
            int slash = item.lastIndexOf('/');
            responses.put(item, LmEvalRunFolder.score(item.substring(0, slash),
                    Integer.parseInt(item.substring(slash + 1)), ability, "strict-match"));
        }
        HttpResponse<String> fromJson = http.send("POST", subsetPath + "/estimates", "application/json",
                JSON.writeValueAsString(Map.of("model", "org/newcomer", "responses", responses)));
        assertThat(fromJson.statusCode()).as(fromJson.body()).isEqualTo(201);
        double overall = Http.json(fromJson).path("overall").path("estimate").asDouble();
        assertThat(estimate.path("overall").path("estimate").asDouble()).isEqualTo(overall);

        HttpResponse<String> fromZip = post(subsetPath + "/estimates", "application/zip", zip(run));
        assertThat(fromZip.statusCode()).as(fromZip.body()).isEqualTo(201);
        assertThat(Http.json(fromZip).path("overall").path("estimate").asDouble()).isEqualTo(overall);

        HttpResponse<String> fromMultipart = multipart(subsetPath + "/estimates", run);
        assertThat(fromMultipart.statusCode()).as(fromMultipart.body()).isEqualTo(201);
        assertThat(Http.json(fromMultipart).path("overall").path("estimate").asDouble()).isEqualTo(overall);

        Cli cli = cli("estimate", "--subset", subsetId, "--json", run.toString());
        assertThat(cli.code).as(cli.err).isZero();
        assertThat(JSON.readTree(cli.out).path("overall").path("estimate").asDouble()).isEqualTo(overall);
        Cli table = cli("estimate", "--subset", subsetId, run.toString());
        assertThat(table.code).as(table.err).isZero();
        assertThat(table.out).contains("overall").contains("mmlu").contains("gsm8k");

    }

    /** The Python client (standard library only) on the same run, with the machine's python3. */
    @Test
    void thePythonClientImportsExportsAndEstimatesAsTheRestApiDoes() throws Exception {
        JsonNode samples = Http.json(http.get(subsetPath + "?format=lm-eval"));
        Set<String> exported = new HashSet<>();
        samples.properties().forEach(task -> task.getValue().forEach(doc -> exported.add(task.getKey() + "/"
                + doc.asInt())));
        Path run = temp.resolve("python-run");
        LmEvalRunFolder.writeModel(run, "org/py", -0.2, (task, doc) -> exported.contains(task + "/" + doc), "", 5);
        double overall = Http.json(post(subsetPath + "/estimates", "application/gzip", FolderArchive.tarGz(run)))
                .path("overall").path("estimate").asDouble();
        JsonNode python = python("import json; from itembank_client import Client; c = Client(URL, KEY)\n"
                + "s = c.start_session('" + calibrationId + "', 'org/py-session', batch_size=5, max_items=10)\n"
                + "while not s['done']:\n"
                + "    s = c.answer_session(s['id'], responses={i: 1 for i in s['items']})\n"
                + "print(json.dumps({'session': c.session(s['id']), "
                + "'estimate': c.estimate('" + subsetId + "', lm_eval_dir=r'" + run + "'), "
                + "'samples': c.subset('" + subsetId + "', lm_eval=True), "
                + "'imported': c.import_lm_eval('py-" + UUID.randomUUID().toString().substring(0, 8) + "', r'" + run
                + "', create=True)}))");
        assertThat(python.path("estimate").path("overall").path("estimate").asDouble()).isEqualTo(overall);
        assertThat(python.path("estimate").path("model").asString()).isEqualTo("org/py");
        assertThat(python.path("estimate").path("warnings")).isEmpty();
        assertThat(python.path("samples")).isEqualTo(samples);
        assertThat(python.path("imported").path("models").asInt()).isEqualTo(1);
        assertThat(python.path("imported").path("items").asInt()).isEqualTo(exported.size());
        assertThat(python.path("session").path("done").asBoolean()).isTrue();
        assertThat(python.path("session").path("asked")).hasSize(10);
    }

    @Test
    void aChangedPromptOrNShotIsNamedInTheEstimatesWarnings() throws IOException {
        JsonNode samples = Http.json(http.get(subsetPath + "?format=lm-eval"));
        Set<String> exported = new HashSet<>();
        samples.properties().forEach(task -> task.getValue().forEach(doc -> exported.add(task.getKey() + "/"
                + doc.asInt())));
        Path run = temp.resolve("changed-prompts");
        LmEvalRunFolder.writeModel(run, "org/changed", 0.1, (task, doc) -> exported.contains(task + "/" + doc)
                && task.equals("gsm8k") || exported.contains(task + "/" + doc), "-new-template", 0);
        HttpResponse<String> response = post(subsetPath + "/estimates", "application/gzip", FolderArchive.tarGz(run));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        List<String> warnings = new ArrayList<>();
        Http.json(response).path("warnings").forEach(w -> warnings.add(w.asString()));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("prompt_hash differs").contains("gsm8k/"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("0-shot").contains("5-shot"));
        assertThat(warnings).noneSatisfy(w -> assertThat(w).contains("doc_hash"));
    }

    @Test
    void theCliImportsAFolderWaitsForJobsAndExportsSubsets() throws IOException {
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Path out = temp.resolve("cli-run");
        for (int m = 0; m < 12; m++) {
            LmEvalRunFolder.writeModel(out, "org/cli-" + m, LmEvalRunFolder.ability(m, 12), (task, doc) -> true, "",
                    5);
        }
        Cli imported = cli("import-lm-eval", "--benchmark", name, "--create", out.toString());
        assertThat(imported.code).as(imported.err).isZero();
        assertThat(imported.out).contains(name + " version 1: 12 models, 120 items");
        assertThat(imported.err).contains("warning: task gsm8k has the filters");

        HttpResponse<String> queued = http.send("POST", "/api/v1/benchmarks/" + name + "/calibrations",
                "application/json", "{\"model\":\"1pl\"}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        Cli waited = cli("jobs", "wait", Http.json(queued).path("job").asString());
        assertThat(waited.code).as(waited.err).isZero();
        assertThat(waited.out).contains("succeeded").contains("/api/v1/calibrations/");
        assertThat(waited.err).contains("100%");

        Cli lmEval = cli("subset", subsetId, "--lm-eval");
        assertThat(lmEval.code).as(lmEval.err).isZero();
        assertThat(JSON.readTree(lmEval.out)).isEqualTo(Http.json(http.get(subsetPath + "?format=lm-eval")));
        Cli missing = cli("subset", UUID.randomUUID().toString());
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err).contains("404");
    }

    @Test
    void itemsDeclaringTaskAndDocIdExportAndEstimateForAnyBenchmark() throws IOException {
        String name = "declared-" + UUID.randomUUID().toString().substring(0, 8);
        create(name);
        StringBuilder items = new StringBuilder("item_id,scenario,task,doc_id\n");
        StringBuilder matrix = new StringBuilder("model");
        for (int doc = 0; doc < 30; doc++) {
            // the last five items have no lm-eval coordinates yet
            items.append("q_").append(doc).append(",quiz,").append(doc < 25 ? "quiz_task" : "").append(',')
                    .append(doc < 25 ? String.valueOf(doc) : "").append('\n');
            matrix.append(",q_").append(doc);
        }
        matrix.append('\n');
        for (int m = 0; m < 24; m++) {
            matrix.append("m").append(m);
            for (int doc = 0; doc < 30; doc++) {
                matrix.append(',').append((int) LmEvalRunFolder.score("mmlu_algebra", doc,
                        LmEvalRunFolder.ability(m, 24), "none"));
            }
            matrix.append('\n');
        }
        assertThat(http.send("PUT", "/api/v1/benchmarks/" + name + "/items", "text/csv", items.toString())
                .statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/benchmarks/" + name + "/results", "text/csv", matrix.toString())
                .statusCode()).isEqualTo(201);
        queueAndWait("/api/v1/benchmarks/" + name + "/calibrations", "{\"model\":\"1pl\"}");
        String subset = queueAndWait("/api/v1/benchmarks/" + name + "/subsets",
                "{\"method\":\"random\",\"itemsPerScenario\":29,\"seed\":1}").path("result").asString();
        HttpResponse<String> unmapped = http.get(subset + "?format=lm-eval");
        assertThat(unmapped.statusCode()).isEqualTo(406);
        assertThat(unmapped.body()).contains("q_25").contains("itemsWithoutMapping");

        StringBuilder declared = new StringBuilder("item_id,scenario,task,doc_id\n");
        for (int doc = 25; doc < 30; doc++) {
            declared.append("q_").append(doc).append(",quiz,quiz_task,").append(doc).append('\n');
        }
        assertThat(http.send("PUT", "/api/v1/benchmarks/" + name + "/items", "text/csv", declared.toString())
                .statusCode()).isEqualTo(200);
        JsonNode samples = Http.json(http.get(subset + "?format=lm-eval"));
        assertThat(samples.propertyNames()).containsExactly("quiz_task");
        assertThat(samples.path("quiz_task")).hasSize(29);

        // the run of those doc ids, as the harness writes it, answers the declared items
        StringBuilder lines = new StringBuilder();
        Map<String, Object> responses = new HashMap<>();
        for (JsonNode doc : samples.path("quiz_task")) {
            double score = LmEvalRunFolder.score("mmlu_algebra", doc.asInt(), 0.2, "none");
            lines.append("{\"doc_id\":").append(doc.asInt()).append(",\"filter\":\"none\",\"metrics\":[\"acc\"],")
                    .append("\"acc\":").append(score).append("}\n");
            responses.put("q_" + doc.asInt(), score);
        }
        Path run = temp.resolve("declared-run").resolve("org__x");
        Files.createDirectories(run);
        Files.writeString(run.resolve("samples_quiz_task_" + LmEvalRunFolder.TIMESTAMP + ".jsonl"), lines);
        HttpResponse<String> fromRun = post(subset + "/estimates?model=org/x", "application/gzip",
                FolderArchive.tarGz(run.getParent()));
        assertThat(fromRun.statusCode()).as(fromRun.body()).isEqualTo(201);
        HttpResponse<String> fromJson = http.send("POST", subset + "/estimates", "application/json",
                JSON.writeValueAsString(Map.of("model", "org/x", "responses", responses)));
        assertThat(Http.json(fromRun).path("overall").path("estimate").asDouble())
                .isEqualTo(Http.json(fromJson).path("overall").path("estimate").asDouble());
    }

    /** An adaptive session driven as the README shows: lm_eval runs each batch, the CLI answers and writes the next. */
    @Test
    void anAdaptiveSessionRunsOnLmEvalBatchesThroughTheCli() throws IOException {
        Path samples = temp.resolve("batch.json");
        Cli started = cli("session", "start", "--calibration", calibrationId, "--model", "org/adaptive",
                "--batch-size", "6", "--max-items", "24", "--samples", samples.toString());
        assertThat(started.code).as(started.err).isZero();
        assertThat(started.out).matches("session \\S+ pending 6\\s*");
        String id = started.out.split(" ")[1];
        String line = started.out;
        Set<String> asked = new HashSet<>();
        for (int batch = 0; line.contains("pending"); batch++) {
            assertThat(batch).as("sessions end").isLessThan(10);
            JsonNode pending = JSON.readTree(Files.readString(samples));
            Set<String> docs = new HashSet<>();
            pending.properties().forEach(task -> task.getValue().forEach(doc -> docs.add(task.getKey() + "/"
                    + doc.asInt())));
            assertThat(docs).hasSize(6);
            assertThat(asked).as("no item asked twice").doesNotContainAnyElementsOf(docs);
            asked.addAll(docs);
            Path run = temp.resolve("adaptive-batch-" + batch);
            LmEvalRunFolder.writeModel(run, "org/adaptive", 0.3, (task, doc) -> docs.contains(task + "/" + doc), "",
                    5);
            Cli answered = cli("session", "answer", id, run.toString(), "--samples", samples.toString());
            assertThat(answered.code).as(answered.err).isZero();
            line = answered.out;
        }
        assertThat(line.strip()).isEqualTo("session " + id + " done maxItems");
        assertThat(asked).hasSize(24);
        JsonNode session = Http.json(http.get("/api/v1/sessions/" + id));
        assertThat(session.path("asked")).hasSize(24);
        assertThat(session.path("asked").valueStream().allMatch(item -> item.path("answer").isNumber())).isTrue();
        Cli shown = cli("session", "show", id);
        assertThat(shown.code).as(shown.err).isZero();
        assertThat(shown.out).contains("done (maxItems)").contains("overall").contains("mmlu");
        // each scenario's row says how its items were chosen, as the session does
        session.path("itemChoice").properties().forEach(choice -> assertThat(shown.out.lines()
                .filter(row -> row.startsWith(choice.getKey() + " ")).findFirst().orElseThrow())
                .endsWith(choice.getValue().path("choice").asString()));
        assertThat(session.path("itemChoice").properties()).isNotEmpty();
    }

    private static int answered(JsonNode version, String model) {
        return version.path("modelScores").valueStream().filter(s -> s.path("model").asString().equals(model))
                .findFirst().orElseThrow().path("answered").asInt();
    }

    private void create(String name) {
        assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + name + "\"}")
                .statusCode()).isEqualTo(201);
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body) {
        return http.send(http.request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private JsonNode queueAndWait(String path, String body) {
        HttpResponse<String> queued = http.send("POST", path, "application/json", body);
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        return JobWaiter.succeeded(http, queued.headers().firstValue("Location").orElseThrow(), TIMEOUT);
    }

    private static byte[] zip(Path folder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry("run/" + folder.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The folder's files as multipart/form-data parts, each named by its path in the folder. */
    private HttpResponse<String> multipart(String path, Path folder) throws IOException {
        String boundary = "itembank-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = folder.relativize(file).toString().replace('\\', '/');
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                        + relative + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                body.write(Files.readAllBytes(file));
                body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post(path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    private record Cli(int code, String out, String err) {
    }

    private Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ItembankCli.run(args, Map.of("ITEMBANK_URL", "http://localhost:" + port, "ITEMBANK_KEY",
                TestKeys.ADMIN), new PrintWriter(out), new PrintWriter(err));
        return new Cli(code, out.toString(), err.toString());
    }

    /** Runs Python code with the client module importable and URL/KEY bound; its standard output as JSON. */
    private JsonNode python(String code) throws IOException, InterruptedException {
        Path script = temp.resolve("client-" + UUID.randomUUID() + ".py");
        Files.writeString(script, "import sys\nsys.path.insert(0, r'" + Path.of("clients", "python").toAbsolutePath()
                + "')\nURL = 'http://localhost:" + port + "'\nKEY = '" + TestKeys.ADMIN + "'\n" + code + "\n");
        Process process = new ProcessBuilder("python3", script.toString()).redirectErrorStream(false).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(stderr).isZero();
        return JSON.readTree(stdout);
    }
}
