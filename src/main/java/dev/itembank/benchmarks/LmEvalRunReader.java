package dev.itembank.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an lm-evaluation-harness output folder ({@code lm_eval --output_path out --log_samples}) file by file into
 * one results upload. Per model the harness writes a folder with {@code results_<timestamp>.json} (its
 * {@code model_name}, {@code lm_eval_version}, {@code n-shot}, task {@code versions}, {@code group_subtasks}) and
 * one {@code samples_<task>_<timestamp>.jsonl} per task (lines with {@code doc_id}, {@code filter}, the metric fields,
 * the {@code metrics} list and {@code doc_hash}, {@code prompt_hash}, {@code target_hash}).
 *
 * <ul>
 * <li>Item ids are {@code <task>/<doc_id>}; a task's scenario is its top-level group ({@code group_subtasks}) with the
 * task as sub-scenario, or the task itself when it is in no group.</li>
 * <li>The model is the results file's {@code model_name} (else its {@code model_args}' {@code pretrained=}), or
 * {@code ?model=} for an archive of one model; folders of the same model are merged.</li>
 * <li>The metric is {@code ?metric=} where a sample has it, else the first of the sample's {@code metrics}, else
 * {@code acc}. Of several filters, {@code ?filter=} where a task has it, else the first one in the file (and a
 * warning names the choice).</li>
 * <li>A task run twice for a model (two timestamps) counts once: the latest run.</li>
 * </ul>
 */
final class LmEvalRunReader {

    private static final JsonMapper JSON = JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder()
            .streamReadConstraints(UploadBody.constraints()).build()).build();
    /** {@code samples_<task>_<timestamp>.jsonl}; the harness's timestamps are ISO dates with ':' written as '-'. */
    private static final Pattern SAMPLES = Pattern.compile("samples_(.+)_(\\d{4}-\\d{2}-\\d{2}T[0-9.\\-:]+)\\.jsonl");
    private static final Pattern RESULTS = Pattern.compile("results_(\\d{4}-\\d{2}-\\d{2}T[0-9.\\-:]+)\\.json");
    private static final List<String> NOT_METRICS = List.of("doc_id", "doc", "target", "arguments", "resps",
            "filtered_resps", "filter", "metrics", "doc_hash", "prompt_hash", "target_hash", "task");

    record Options(String model, String metric, String filter) {
    }

    private final Options options;
    /** Per folder: its latest results file and, per task, its latest samples file. */
    private final Map<String, Folder> folders = new TreeMap<>();
    private int files;

    LmEvalRunReader(Options options) {
        this.options = options;
    }

    private static final class Folder {
        Results results;
        final Map<String, Samples> samples = new TreeMap<>();
    }

    private record Results(String timestamp, String model, String harnessVersion, Map<String, Integer> nShot,
            Map<String, String> taskVersions, Map<String, String> parentOf) {
    }

    /** One task's samples file, per filter: doc id to sample. */
    private static final class Samples {
        final String task;
        final String timestamp;
        final Map<String, Map<String, Sample>> byFilter = new LinkedHashMap<>();
        final Map<String, String> metricOf = new HashMap<>();

        Samples(String task, String timestamp) {
            this.task = task;
            this.timestamp = timestamp;
        }
    }

    private record Sample(double score, HarnessProvenance.ItemHashes hashes) {
    }

    /** Reads one file of the folder; files that are neither results nor samples are skipped. */
    void accept(String path, InputStream content) throws IOException {
        String normalized = path.replace('\\', '/');
        int slash = normalized.lastIndexOf('/');
        String folder = slash < 0 ? "" : normalized.substring(0, slash);
        String name = normalized.substring(slash + 1);
        Matcher samples = SAMPLES.matcher(name);
        Matcher results = RESULTS.matcher(name);
        if (samples.matches()) {
            files++;
            Samples read = samples(normalized, samples.group(1), samples.group(2), content);
            Folder at = folders.computeIfAbsent(folder, f -> new Folder());
            Samples earlier = at.samples.get(read.task);
            if (earlier == null || earlier.timestamp.compareTo(read.timestamp) < 0) {
                at.samples.put(read.task, read);
            }
        } else if (results.matches()) {
            files++;
            Results read = results(normalized, results.group(1), content);
            Folder at = folders.computeIfAbsent(folder, f -> new Folder());
            if (at.results == null || at.results.timestamp.compareTo(read.timestamp) < 0) {
                at.results = read;
            }
        }
    }

    /** The upload: every model's cells, item groupings, provenance and warnings. */
    ResultsUpload finish() {
        List<Map.Entry<String, Folder>> withSamples = folders.entrySet().stream()
                .filter(entry -> !entry.getValue().samples.isEmpty()).toList();
        if (withSamples.isEmpty()) {
            throw UploadProblem.of("the archive holds no lm-evaluation-harness samples files "
                    + "(samples_<task>_<timestamp>.jsonl, written by lm_eval --log_samples)");
        }
        if (options.model() != null && !options.model().isBlank() && withSamples.size() > 1) {
            throw UploadProblem.of("?model= names the model of an archive of one model's run; this one holds "
                    + withSamples.size() + " folders with samples: " + withSamples.stream().map(Map.Entry::getKey)
                    .toList());
        }
        Map<String, String> parentOf = new HashMap<>();
        folders.values().stream().filter(f -> f.results != null).forEach(f -> parentOf.putAll(f.results.parentOf));
        // per model, per task: the samples to use (the latest run where folders of one model overlap)
        Map<String, Map<String, Samples>> byModel = new LinkedHashMap<>();
        Map<String, Folder> folderOfModel = new HashMap<>();
        Map<String, String> directoryOfModel = new LinkedHashMap<>();
        for (Map.Entry<String, Folder> entry : withSamples) {
            String model = modelOf(entry.getKey(), entry.getValue());
            Map<String, Samples> tasks = byModel.computeIfAbsent(model, m -> new TreeMap<>());
            entry.getValue().samples.forEach((task, samples) -> tasks.merge(task, samples,
                    (a, b) -> a.timestamp.compareTo(b.timestamp) >= 0 ? a : b));
            folderOfModel.putIfAbsent(model, entry.getValue());
            directoryOfModel.merge(model, entry.getKey(), (a, b) -> a + ", " + b);
        }
        ResultsUpload upload = new ResultsUpload();
        List<Views.ImportedModel> imported = new ArrayList<>();
        for (Map.Entry<String, Map<String, Samples>> model : byModel.entrySet()) {
            Results results = folderOfModel.get(model.getKey()).results;
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Samples samples : model.getValue().values()) {
                String filter = chooseFilter(samples, upload.warnings);
                Map<String, Sample> chosen = samples.byFilter.get(filter);
                String root = root(samples.task, parentOf);
                for (Map.Entry<String, Sample> doc : chosen.entrySet()) {
                    String itemId = samples.task + "/" + doc.getKey();
                    UploadProblem.Where where = new UploadProblem.Where(0, 0, model.getKey(), itemId);
                    upload.put(model.getKey(), itemId, doc.getValue().score(), where);
                    upload.hints.putIfAbsent(itemId, new ResultsUpload.ItemHint(root,
                            root.equals(samples.task) ? null : samples.task, samples.task, doc.getKey()));
                    if (doc.getValue().hashes() != null) {
                        upload.provenance.addHashes(itemId, doc.getValue().hashes());
                    }
                }
                counts.put(samples.task, chosen.size());
                upload.provenance.addRun(new HarnessProvenance.TaskRun(model.getKey(), samples.task,
                        results == null ? null : results.harnessVersion(),
                        results == null ? null : results.taskVersions().get(samples.task),
                        results == null ? null : results.nShot().get(samples.task), filter,
                        samples.metricOf.get(filter), chosen.size()));
            }
            imported.add(new Views.ImportedModel(model.getKey(), directoryOfModel.get(model.getKey()), counts,
                    results == null ? null : results.harnessVersion()));
        }
        upload.imported = new Views.Imported(imported, files);
        return upload.finish();
    }

    private String modelOf(String folder, Folder at) {
        if (options.model() != null && !options.model().isBlank()) {
            return options.model().strip();
        }
        if (at.results == null || at.results.model() == null) {
            throw UploadProblem.of("folder '" + (folder.isEmpty() ? "." : folder) + "' has samples but no results_"
                    + "<timestamp>.json naming its model: include it, or add ?model=<name> for a one-model archive");
        }
        return at.results.model();
    }

    /** A task's top-level group: its parent's parent ..., or the task itself. */
    private static String root(String task, Map<String, String> parentOf) {
        String at = task;
        for (int depth = 0; depth < 32 && parentOf.containsKey(at); depth++) {
            at = parentOf.get(at);
        }
        return at;
    }

    private String chooseFilter(Samples samples, List<String> warnings) {
        if (options.filter() != null && samples.byFilter.containsKey(options.filter())) {
            return options.filter();
        }
        String first = samples.byFilter.keySet().iterator().next();
        if (samples.byFilter.size() > 1) {
            String note = "task " + samples.task + " has the filters " + samples.byFilter.keySet() + "; '" + first
                    + "' was read (choose with ?filter=)";
            if (!warnings.contains(note)) {
                warnings.add(note);
            }
        }
        return first;
    }

    private Samples samples(String path, String task, String timestamp, InputStream content) throws IOException {
        Samples samples = new Samples(task, timestamp);
        BufferedReader lines = UploadBody.reader(content);
        long lineNumber = 1;
        for (String line = UploadBody.line(lines, lineNumber); line != null;
                line = UploadBody.line(lines, ++lineNumber)) {
            if (line.isBlank()) {
                continue;
            }
            UploadProblem.Where at = new UploadProblem.Where(lineNumber, 0, null, path);
            JsonNode sample = object(line, at, path);
            JsonNode docIdNode = sample.path("doc_id");
            if (!(docIdNode.isIntegralNumber() || docIdNode.isString()) || docIdNode.asString().isBlank()) {
                throw UploadProblem.at(path + ": the sample has no doc_id", at);
            }
            String docId = docIdNode.asString();
            String filter = sample.path("filter").isString() ? sample.path("filter").asString() : "none";
            String metric = samples.metricOf.computeIfAbsent(filter, f -> metric(sample, path, at));
            UploadProblem.Where where = new UploadProblem.Where(lineNumber, 0, null, task + "/" + docId);
            JsonNode value = sample.path(metric);
            double score;
            if (value.isNumber()) {
                score = Scores.check(value.asDouble(), where);
            } else if (value.isBoolean()) {
                score = value.asBoolean() ? 1.0 : 0.0;
            } else {
                throw UploadProblem.at(path + ": the sample has no numeric '" + metric + "' as the file's first "
                        + "sample had", where);
            }
            Sample previous = samples.byFilter.computeIfAbsent(filter, f -> new LinkedHashMap<>())
                    .put(docId, new Sample(score, hashes(sample)));
            if (previous != null) {
                throw UploadProblem.at(path + ": doc_id " + docId + " appears twice for filter '" + filter + "'",
                        where);
            }
        }
        if (samples.byFilter.isEmpty()) {
            throw UploadProblem.of(path + " holds no samples");
        }
        return samples;
    }

    private String metric(JsonNode sample, String path, UploadProblem.Where at) {
        if (options.metric() != null && scoreLike(sample.path(options.metric()))) {
            return options.metric();
        }
        for (JsonNode listed : sample.path("metrics")) {
            if (listed.isString() && scoreLike(sample.path(listed.asString()))) {
                return listed.asString();
            }
        }
        if (scoreLike(sample.path("acc"))) {
            return "acc";
        }
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : sample.properties()) {
            if (!NOT_METRICS.contains(field.getKey()) && scoreLike(field.getValue())) {
                candidates.add(field.getKey());
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        throw UploadProblem.at(path + ": cannot tell which field is the metric (" + (candidates.isEmpty()
                ? "no numeric field" : "candidates " + candidates) + "): choose it with ?metric=", at);
    }

    private static boolean scoreLike(JsonNode value) {
        return value.isNumber() || value.isBoolean();
    }

    /** The hashes a harness sample carries. */
    static HarnessProvenance.ItemHashes hashes(JsonNode sample) {
        return new HarnessProvenance.ItemHashes(HarnessSamplesParser.text(sample, "doc_hash"),
                HarnessSamplesParser.text(sample, "prompt_hash"), HarnessSamplesParser.text(sample, "target_hash"));
    }

    private static JsonNode object(String text, UploadProblem.Where at, String path) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw UploadProblem.at(path + ": expected a JSON object", at);
            }
            return node;
        } catch (JacksonException e) {
            UploadProblem.rethrowCause(e);
            throw UploadProblem.at(path + ": not valid JSON: " + e.getOriginalMessage(), at);
        }
    }

    private static Results results(String path, String timestamp, InputStream content) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(UploadBody.reader(content));
        } catch (JacksonException e) {
            UploadProblem.rethrowCause(e);
            throw UploadProblem.at(path + ": not valid JSON: " + e.getOriginalMessage(), UploadProblem.Where.line(
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr()));
        }
        if (root == null || !root.isObject()) {
            throw UploadProblem.of(path + ": expected the harness's results JSON object");
        }
        String model = HarnessSamplesParser.text(root, "model_name");
        if (model == null) {
            String args = root.path("config").path("model_args").isString()
                    ? root.path("config").path("model_args").asString() : "";
            for (String arg : args.split(",")) {
                if (arg.strip().startsWith("pretrained=")) {
                    model = arg.strip().substring("pretrained=".length());
                }
            }
        }
        Map<String, Integer> nShot = new HashMap<>();
        root.path("n-shot").properties().forEach(e -> {
            if (e.getValue().isIntegralNumber()) {
                nShot.put(e.getKey(), e.getValue().asInt());
            }
        });
        Map<String, String> versions = new HashMap<>();
        root.path("versions").properties().forEach(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                versions.put(e.getKey(), e.getValue().asString());
            }
        });
        Map<String, String> parentOf = new HashMap<>();
        root.path("group_subtasks").properties().forEach(group -> {
            for (JsonNode child : group.getValue()) {
                if (child.isString() && !child.asString().equals(group.getKey())) {
                    parentOf.put(child.asString(), group.getKey());
                }
            }
        });
        return new Results(timestamp, model == null || model.isBlank() ? null : model.strip(),
                HarnessSamplesParser.text(root, "lm_eval_version"), nShot, versions, parentOf);
    }
}
