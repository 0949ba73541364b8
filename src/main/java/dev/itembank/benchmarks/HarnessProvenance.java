package dev.itembank.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What lm-evaluation-harness runs a body came from: per model and task, the harness and task versions, n-shot,
 * the filter and metric read and how many samples; per item, the document, prompt and target hashes its samples
 * carried. Empty for bodies that are not harness output.
 */
public final class HarnessProvenance {

    /** One model's run of one task. Fields the run did not record are null. */
    public record TaskRun(String model, String task, String harnessVersion, String taskVersion, Integer nShot,
            String filter, String metric, int samples) {
    }

    /** The hashes lm-eval wrote for one item's sample (null where it wrote none). */
    public record ItemHashes(String docHash, String promptHash, String targetHash) {

        boolean isEmpty() {
            return docHash == null && promptHash == null && targetHash == null;
        }
    }

    private final List<TaskRun> runs = new ArrayList<>();
    private final Map<String, ItemHashes> hashes = new LinkedHashMap<>();

    void addRun(TaskRun run) {
        runs.add(run);
    }

    /** Keeps the first hashes seen for an item (every model's samples of an item should carry the same). */
    void addHashes(String itemId, ItemHashes itemHashes) {
        if (!itemHashes.isEmpty()) {
            hashes.putIfAbsent(itemId, itemHashes);
        }
    }

    public List<TaskRun> runs() {
        return Collections.unmodifiableList(runs);
    }

    public Map<String, ItemHashes> hashes() {
        return Collections.unmodifiableMap(hashes);
    }

    public boolean isEmpty() {
        return runs.isEmpty() && hashes.isEmpty();
    }
}
