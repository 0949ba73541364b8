package dev.itembank.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes folders as {@code lm_eval --output_path out --log_samples} does, from simulated models: per model a folder
 * with {@code results_<timestamp>.json} and one {@code samples_<task>_<timestamp>.jsonl} per task. The tasks: a group
 * {@code mmlu} with two subtasks (binary {@code acc}, an {@code acc_norm} too), {@code gsm8k} with two filters
 * ({@code strict-match}, {@code flexible-extract}; binary {@code exact_match}) and {@code truthfulqa_mc2}
 * (continuous {@code acc}). Answers follow a Rasch model of each model's ability and each document's difficulty,
 * so the same (model, task, doc) always gets the same answer.
 */
public final class LmEvalRunFolder {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String TIMESTAMP = "2025-01-15T10-20-30.123456";
    /** The tasks and their documents. */
    public static final Map<String, Integer> TASKS = new LinkedHashMap<>();

    static {
        TASKS.put("mmlu_algebra", 30);
        TASKS.put("mmlu_biology", 30);
        TASKS.put("gsm8k", 30);
        TASKS.put("truthfulqa_mc2", 30);
    }

    private LmEvalRunFolder() {
    }

    /** A model's ability (the i-th model of a run is -1.5 + 3 i / (n - 1)). */
    public static double ability(int model, int models) {
        return -1.5 + 3.0 * model / Math.max(1, models - 1);
    }

    /** The score lm-eval would record: 0/1, or for truthfulqa_mc2 a probability. */
    public static double score(String task, int doc, double ability, String filter) {
        double difficulty = new SplittableRandom(task.hashCode() * 31L + doc).nextDouble(-2, 2);
        double p = 1 / (1 + Math.exp(-(ability - difficulty)));
        if (task.equals("truthfulqa_mc2")) {
            return Math.round(p * 1e6) / 1e6;
        }
        double u = new SplittableRandom(Double.doubleToLongBits(ability) ^ (task.hashCode() * 1_000_003L + doc))
                .nextDouble();
        boolean right = u < p;
        // the flexible filter extracts a few more right answers than the strict one
        return right || filter.equals("flexible-extract") && u < p + 0.1 ? 1 : 0;
    }

    /**
     * Writes one model's run into {@code out/<model with '/' as '__'>}: every task's documents that {@code keep}
     * accepts, with {@code promptSalt} mixed into the prompt hashes (a changed prompt).
     */
    public static Path writeModel(Path out, String model, double ability, BiPredicate<String, Integer> keep,
            String promptSalt, int nShot) throws IOException {
        Path folder = out.resolve(model.replace("/", "__"));
        Files.createDirectories(folder);
        ObjectNode results = JSON.createObjectNode();
        ObjectNode taskResults = results.putObject("results");
        ObjectNode groups = results.putObject("group_subtasks");
        ArrayNode mmlu = groups.putArray("mmlu");
        mmlu.add("mmlu_algebra");
        mmlu.add("mmlu_biology");
        groups.putArray("gsm8k");
        groups.putArray("truthfulqa_mc2");
        ObjectNode shots = results.putObject("n-shot");
        ObjectNode versions = results.putObject("versions");
        for (Map.Entry<String, Integer> task : TASKS.entrySet()) {
            String name = task.getKey();
            List<String> filters = name.equals("gsm8k") ? List.of("strict-match", "flexible-extract") : List.of("none");
            String metric = name.equals("gsm8k") ? "exact_match" : "acc";
            StringBuilder lines = new StringBuilder();
            List<Integer> docs = new ArrayList<>();
            for (int doc = 0; doc < task.getValue(); doc++) {
                if (keep.test(name, doc)) {
                    docs.add(doc);
                }
            }
            if (docs.isEmpty()) {
                continue;
            }
            double sum = 0;
            for (String filter : filters) {
                for (int doc : docs) {
                    double score = score(name, doc, ability, filter);
                    sum += filter.equals(filters.get(0)) ? score : 0;
                    ObjectNode sample = JSON.createObjectNode();
                    sample.put("doc_id", doc);
                    sample.putObject("doc").put("question", "Question " + doc + " of " + name);
                    sample.put("target", "A");
                    sample.putArray("resps").addArray().add("A");
                    sample.put("filter", filter);
                    sample.putArray("metrics").add(metric);
                    if (!name.equals("gsm8k")) {
                        sample.withArray("metrics").add("acc_norm");
                        sample.put("acc_norm", score);
                    }
                    sample.put("doc_hash", Integer.toHexString((name + "/doc/" + doc).hashCode()));
                    sample.put("prompt_hash", Integer.toHexString((name + "/prompt/" + doc + promptSalt).hashCode()));
                    sample.put("target_hash", Integer.toHexString((name + "/target/" + doc).hashCode()));
                    sample.put(metric, score);
                    lines.append(JSON.writeValueAsString(sample)).append('\n');
                }
            }
            Files.writeString(folder.resolve("samples_" + name + "_" + TIMESTAMP + ".jsonl"), lines,
                    StandardCharsets.UTF_8);
            taskResults.putObject(name).put(metric + "," + filters.get(0), sum / docs.size());
            shots.put(name, nShot);
            versions.put(name, 1.0);
        }
        results.put("model_name", model);
        results.put("lm_eval_version", "0.4.8");
        results.putObject("config").put("model", "hf").put("model_args", "pretrained=" + model);
        Files.writeString(folder.resolve("results_" + TIMESTAMP + ".json"), JSON.writeValueAsString(results),
                StandardCharsets.UTF_8);
        return folder;
    }
}
