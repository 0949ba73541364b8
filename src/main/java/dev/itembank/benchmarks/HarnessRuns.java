package dev.itembank.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The stored provenance of a benchmark's lm-evaluation-harness results ({@code run_provenance}, {@code item_hash}),
 * and what a new run is checked against: an item whose document or prompt hash differs from the one first imported
 * for it, or a task run with another n-shot than the benchmark's models ran it with, is named in a warning (never a
 * refusal: the user decides whether the difference matters).
 */
@Component
public class HarnessRuns {

    /** How many items a warning names before it only counts them. */
    private static final int NAMED = 5;
    private final JdbcTemplate jdbc;
    private final Benchmarks benchmarks;
    private final ItemCatalog items;

    HarnessRuns(JdbcTemplate jdbc, Benchmarks benchmarks, ItemCatalog items) {
        this.jdbc = jdbc;
        this.benchmarks = benchmarks;
        this.items = items;
    }

    /**
     * Where lm-eval finds each of {@code itemIds} (declared {@code task}/{@code doc_id} metadata, else an id
     * {@code <task>/<doc_id>}), in their order; an item with neither is absent from the map.
     */
    @Transactional(readOnly = true)
    public Map<String, LmEvalCoordinates> coordinates(String benchmark, List<String> itemIds) {
        Map<String, CatalogItem> byId = ItemCatalog.byId(items.load(benchmarks.require(benchmark).id()));
        Map<String, LmEvalCoordinates> coordinates = new LinkedHashMap<>();
        for (String itemId : itemIds) {
            CatalogItem item = byId.get(itemId);
            LmEvalCoordinates at = LmEvalCoordinates.of(itemId, item == null ? null : item.metadataJson());
            if (at != null) {
                coordinates.put(itemId, at);
            }
        }
        return coordinates;
    }

    /** Stores an upload's runs (a model's re-run of a task replaces its record) and items' first hashes. */
    void record(long benchmarkId, HarnessProvenance provenance) {
        jdbc.batchUpdate("""
                insert into run_provenance (benchmark_id, model, task, harness_version, task_version, n_shot, filter,
                    metric, samples) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (benchmark_id, model, task) do update set harness_version = excluded.harness_version,
                    task_version = excluded.task_version, n_shot = excluded.n_shot, filter = excluded.filter,
                    metric = excluded.metric, samples = excluded.samples, imported_at = now()""",
                provenance.runs().stream().map(run -> new Object[] {benchmarkId, run.model(), run.task(),
                        run.harnessVersion(), run.taskVersion(), run.nShot(), run.filter(), run.metric(),
                        run.samples()}).toList());
        jdbc.batchUpdate("""
                insert into item_hash (benchmark_id, item_id, doc_hash, prompt_hash, target_hash)
                values (?, ?, ?, ?, ?) on conflict (benchmark_id, item_id) do nothing""",
                provenance.hashes().entrySet().stream().map(e -> new Object[] {benchmarkId, e.getKey(),
                        e.getValue().docHash(), e.getValue().promptHash(), e.getValue().targetHash()}).toList());
    }

    /** Warnings for a run compared with what the benchmark holds; empty when nothing differs or nothing is known. */
    @Transactional(readOnly = true)
    public List<String> warnings(String benchmark, HarnessProvenance run) {
        return run.isEmpty() ? List.of() : warnings(benchmarks.require(benchmark).id(), run);
    }

    List<String> warnings(long benchmarkId, HarnessProvenance run) {
        List<String> warnings = new ArrayList<>();
        if (!run.hashes().isEmpty()) {
            Map<String, HarnessProvenance.ItemHashes> stored = storedHashes(benchmarkId, run.hashes().keySet());
            Map<String, List<String>> promptChanged = new TreeMap<>();
            Map<String, List<String>> docChanged = new TreeMap<>();
            run.hashes().forEach((item, hashes) -> {
                HarnessProvenance.ItemHashes known = stored.get(item);
                if (known == null) {
                    return;
                }
                if (differs(known.promptHash(), hashes.promptHash())) {
                    promptChanged.computeIfAbsent(task(item), t -> new ArrayList<>()).add(item);
                }
                if (differs(known.docHash(), hashes.docHash())) {
                    docChanged.computeIfAbsent(task(item), t -> new ArrayList<>()).add(item);
                }
            });
            promptChanged.forEach((task, items) -> warnings.add("prompt_hash differs from the benchmark's results on "
                    + named(items) + " of task " + task + ": the prompts (template, few-shot examples or harness "
                    + "version) changed, so the calibration may not describe these answers"));
            docChanged.forEach((task, items) -> warnings.add("doc_hash differs from the benchmark's results on "
                    + named(items) + " of task " + task + ": the documents (dataset version) changed"));
        }
        Map<String, Map<Integer, Integer>> shots = nShots(benchmarkId);
        for (HarnessProvenance.TaskRun task : run.runs()) {
            Map<Integer, Integer> counts = shots.get(task.task());
            if (task.nShot() == null || counts == null || counts.isEmpty()) {
                continue;
            }
            int usual = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            if (usual != task.nShot()) {
                warnings.add("task " + task.task() + " ran " + task.nShot() + "-shot; the benchmark's models ran it "
                        + usual + "-shot (" + counts.get(usual) + " of " + counts.values().stream()
                        .mapToInt(Integer::intValue).sum() + " runs)");
            }
        }
        return warnings;
    }

    /** Per task, the n-shot its recorded runs used, most common first. */
    @Transactional(readOnly = true)
    public Map<String, Integer> usualNShot(String benchmark) {
        Map<String, Integer> usual = new LinkedHashMap<>();
        nShots(benchmarks.require(benchmark).id()).forEach((task, counts) -> usual.put(task, counts.entrySet()
                .stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
        return usual;
    }

    private Map<String, Map<Integer, Integer>> nShots(long benchmarkId) {
        Map<String, Map<Integer, Integer>> counts = new TreeMap<>();
        jdbc.query("""
                select task, n_shot, count(*) from run_provenance where benchmark_id = ? and n_shot is not null
                group by task, n_shot""", rs -> {
            counts.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getInt(2), rs.getInt(3));
        }, benchmarkId);
        return counts;
    }

    private Map<String, HarnessProvenance.ItemHashes> storedHashes(long benchmarkId, java.util.Set<String> items) {
        Map<String, HarnessProvenance.ItemHashes> stored = new HashMap<>();
        jdbc.query(connection -> {
            var ps = connection.prepareStatement("""
                    select item_id, doc_hash, prompt_hash, target_hash from item_hash
                    where benchmark_id = ? and item_id = any(?)""");
            ps.setLong(1, benchmarkId);
            ps.setArray(2, connection.createArrayOf("text", items.toArray()));
            return ps;
        }, rs -> {
            stored.put(rs.getString(1), new HarnessProvenance.ItemHashes(rs.getString(2), rs.getString(3),
                    rs.getString(4)));
        });
        return stored;
    }

    private static boolean differs(String known, String seen) {
        return known != null && seen != null && !known.equals(seen);
    }

    private static String task(String itemId) {
        int slash = itemId.lastIndexOf('/');
        return slash > 0 ? itemId.substring(0, slash) : "(none)";
    }

    private static String named(List<String> items) {
        return items.size() + (items.size() == 1 ? " item (" : " items (") + String.join(", ",
                items.subList(0, Math.min(NAMED, items.size()))) + (items.size() > NAMED ? ", ..." : "") + ")";
    }
}
