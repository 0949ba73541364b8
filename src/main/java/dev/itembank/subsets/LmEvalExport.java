package dev.itembank.subsets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;
import dev.itembank.benchmarks.HarnessRuns;
import dev.itembank.benchmarks.LmEvalCoordinates;
import org.springframework.stereotype.Component;

/**
 * A subset as lm-evaluation-harness runs it: the {@code --samples} JSON ({@code {"<task>": [doc ids]}}) and a
 * ready {@code lm_eval} command line. An item's task and doc id are its declared {@code task}/{@code doc_id}
 * metadata, or its id when that reads {@code <task>/<doc_id>} (items imported from harness samples); a subset with
 * an item that has neither has no lm-eval form (406 naming the items).
 */
@Component
class LmEvalExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int NAMED = 20;
    private final HarnessRuns runs;

    LmEvalExport(HarnessRuns runs) {
        this.runs = runs;
    }

    Map<String, List<Object>> samples(Subsets.StoredSubset subset) {
        Map<String, LmEvalCoordinates> coordinates = runs.coordinates(subset.spec().benchmark(), subset.itemIds());
        List<String> unmapped = subset.itemIds().stream().filter(id -> !coordinates.containsKey(id)).distinct()
                .toList();
        if (!unmapped.isEmpty()) {
            throw new ApiException(ProblemType.NOT_ACCEPTABLE, unmapped.size() + " of the subset's items have no "
                    + "lm-evaluation-harness task and doc id (declare task and doc_id columns in the items CSV, or "
                    + "import the results from harness samples): " + unmapped.subList(0, Math.min(NAMED,
                    unmapped.size())) + (unmapped.size() > NAMED ? " ..." : ""),
                    Map.of("itemsWithoutMapping", unmapped.subList(0, Math.min(1000, unmapped.size())),
                            "count", unmapped.size()));
        }
        Map<String, List<Object>> byTask = new LinkedHashMap<>();
        for (String itemId : subset.itemIds()) {
            LmEvalCoordinates at = coordinates.get(itemId);
            byTask.computeIfAbsent(at.task(), task -> new ArrayList<>()).add(at.docIdValue());
        }
        return byTask;
    }

    /**
     * A shell command line that runs the subset: every task, the n-shot the benchmark's recorded runs used when
     * its tasks agree on one, the samples, and the flags that make a folder {@code estimate --subset} reads.
     */
    String command(Subsets.StoredSubset subset, String model) {
        Map<String, List<Object>> samples = samples(subset);
        Map<String, Integer> usual = runs.usualNShot(subset.spec().benchmark());
        Set<Integer> shots = new TreeSet<>();
        samples.keySet().forEach(task -> {
            if (usual.containsKey(task)) {
                shots.add(usual.get(task));
            }
        });
        StringBuilder command = new StringBuilder("lm_eval --model hf --model_args pretrained=")
                .append(quote(model == null || model.isBlank() ? "<your model>" : model))
                .append(" \\\n  --tasks ").append(String.join(",", samples.keySet()));
        if (shots.size() == 1) {
            command.append(" \\\n  --num_fewshot ").append(shots.iterator().next());
        }
        command.append(" \\\n  --samples ").append(quote(JSON.writeValueAsString(samples)))
                .append(" \\\n  --log_samples --output_path ").append(quote("itembank-subset-" + subset.id()))
                .append('\n');
        if (shots.size() > 1) {
            command.append("# the benchmark's tasks ran with different n-shot ").append(usual)
                    .append(": run each task group with its own --num_fewshot\n");
        }
        return command.toString();
    }

    /** A POSIX shell word: single-quoted, embedded single quotes closed, escaped and reopened. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
