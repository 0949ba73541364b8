package dev.itembank.estimates;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import dev.itembank.benchmarks.DatasetLayout;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.benchmarks.Grouping;
import dev.itembank.calibrations.Calibrations;
import dev.itembank.psychometrics.estimation.EstimationModel;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;
import dev.itembank.subsets.Subsets;
import org.springframework.stereotype.Component;
import org.springframework.util.ConcurrentLruCache;

/**
 * The fitted estimators of recently used subsets, restored from their stored state and kept in memory (subsets
 * are immutable, so a cached one never goes stale): an estimate is then one ability fit and a few sums.
 */
@Component
class SubsetEstimators {

    private static final int CAPACITY = 64;
    private final Subsets subsets;
    private final Calibrations calibrations;
    private final Datasets datasets;
    private final ConcurrentLruCache<UUID, Loaded> cache = new ConcurrentLruCache<>(CAPACITY, this::load);

    private final dev.itembank.benchmarks.HarnessRuns runs;

    SubsetEstimators(Subsets subsets, Calibrations calibrations, Datasets datasets,
            dev.itembank.benchmarks.HarnessRuns runs) {
        this.runs = runs;
        this.subsets = subsets;
        this.calibrations = calibrations;
        this.datasets = datasets;
    }

    /**
     * A subset ready to estimate with.
     *
     * @param positionsOf each subset item's positions, by item id: one position, except in subsets that an older
     *        release made with an item twice, whose estimators were fitted with it twice and read it so
     * @param scenarioNames scenario names, by index
     * @param scenarioOfPosition each subset item's scenario index
     */
    /**
     * @param aliases lm-eval ids ({@code <task>/<doc_id>}) of subset items whose own ids differ, to their ids
     */
    record Loaded(Subsets.StoredSubset subset, EstimationModel model, Map<String, int[]> positionsOf,
            Map<String, String> aliases, List<String> scenarioNames, int[] scenarioOfPosition) {

        /** The subset positions an answered item id fills (its own id, or its lm-eval alias); null if none. */
        int[] positions(String itemId) {
            int[] positions = positionsOf.get(itemId);
            if (positions == null && aliases.containsKey(itemId)) {
                positions = positionsOf.get(aliases.get(itemId));
            }
            return positions;
        }
    }

    Loaded get(UUID id) {
        return cache.get(id);
    }

    private Loaded load(UUID id) {
        Subsets.StoredSubset subset = subsets.require(id);
        DatasetLayout layout = datasets.layout(subset.spec().benchmark(), subset.datasetVersion());
        Grouping grouping = Grouping.of(layout);
        double[] balance = SelectionInput.balanceWeights(grouping.scenarioOfItem(), grouping.subscenarioOfItem());
        // the subset as it was selected, its parameters included (which method auto chose decides, for example,
        // whether it is a random sample that AIPW reads)
        Subset items = new Subset(subset.method(), parameters(subset.parameters()), subset.seed(), subset.columns(),
                subset.weights(), new int[grouping.scenarioNames().size()], Subset.Diagnostics.none());
        EstimationModel model = EstimationModel.restore(subsets.estimation(id), calibrations.items(subset.calibration()),
                grouping.scenarioOfItem(), balance, items);
        Map<String, int[]> positionsOf = new HashMap<>();
        int[] scenarioOfPosition = new int[subset.columns().length];
        for (int k = 0; k < subset.columns().length; k++) {
            int position = k;
            positionsOf.merge(subset.itemIds().get(k), new int[] {k}, (a, b) -> java.util.stream.IntStream
                    .concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray());
            scenarioOfPosition[position] = grouping.scenarioOfItem()[subset.columns()[k]];
        }
        // answers from an lm-eval run name items <task>/<doc_id>: those of items with other ids map to them
        Map<String, String> aliases = new HashMap<>();
        runs.coordinates(subset.spec().benchmark(), subset.itemIds()).forEach((itemId, at) -> {
            String harnessId = at.task() + "/" + at.docId();
            if (!harnessId.equals(itemId) && !positionsOf.containsKey(harnessId)) {
                aliases.put(harnessId, itemId);
            }
        });
        return new Loaded(subset, model, positionsOf, aliases, grouping.scenarioNames(), scenarioOfPosition);
    }

    /** A stored subset's parameters back as the text map the selection wrote (Subset.parameters). */
    private static Map<String, String> parameters(JsonNode stored) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (stored != null) {
            stored.properties().forEach(entry -> parameters.put(entry.getKey(), entry.getValue().isString()
                    ? entry.getValue().asString() : entry.getValue().toString()));
        }
        return parameters;
    }
}
