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
    private final Map<UUID, Loaded> cache = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f,
            true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Loaded> eldest) {
            return size() > CAPACITY;
        }
    });

    SubsetEstimators(Subsets subsets, Calibrations calibrations, Datasets datasets) {
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
    record Loaded(Subsets.StoredSubset subset, EstimationModel model, Map<String, int[]> positionsOf,
            List<String> scenarioNames, int[] scenarioOfPosition) {
    }

    Loaded get(UUID id) {
        Loaded loaded = cache.get(id);
        if (loaded == null) {
            loaded = load(id);
            cache.put(id, loaded);
        }
        return loaded;
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
        return new Loaded(subset, model, positionsOf, grouping.scenarioNames(), scenarioOfPosition);
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
