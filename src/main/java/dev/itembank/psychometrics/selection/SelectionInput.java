package dev.itembank.psychometrics.selection;

import java.util.Arrays;

import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * What subset selection works from: the training models' responses, each item's scenario and sub-scenario, and
 * (for IRT-based methods) a calibration of the items.
 *
 * @param responses training models x items
 * @param scenarioOfItem each item's scenario, 0 .. scenarios - 1
 * @param subscenarioOfItem each item's sub-scenario within its scenario, 0 .. (its scenario's count) - 1
 * @param items calibrated items over the same columns, or null
 * @param embeddings a text embedding per item (null rows for items without text), or null
 */
public record SelectionInput(ResponseMatrix responses, int[] scenarioOfItem, int[] subscenarioOfItem, ItemBank items,
        double[][] embeddings) {

    public SelectionInput(ResponseMatrix responses, int[] scenarioOfItem, int[] subscenarioOfItem, ItemBank items) {
        this(responses, scenarioOfItem, subscenarioOfItem, items, null);
    }

    public SelectionInput {
        if (embeddings != null && embeddings.length != responses.items()) {
            throw new IllegalArgumentException("embeddings need one row per item (" + responses.items() + ")");
        }
        int n = responses.items();
        if (scenarioOfItem.length != n || subscenarioOfItem.length != n) {
            throw new IllegalArgumentException("scenarioOfItem and subscenarioOfItem need one entry per item (" + n + ")");
        }
        if (items != null && items.items() != n) {
            throw new IllegalArgumentException("the calibration has " + items.items() + " items, the responses " + n);
        }
    }

    public int scenarios() {
        return Arrays.stream(scenarioOfItem).max().orElse(-1) + 1;
    }

    /** The items of scenario s, ascending. */
    public int[] itemsOf(int scenario) {
        return java.util.stream.IntStream.range(0, scenarioOfItem.length).filter(j -> scenarioOfItem[j] == scenario)
                .toArray();
    }

    /**
     * tinyBenchmarks' balance weights, w_i = N_s / (S_s n_{s,k}) for item i in sub-scenario k of scenario s: they
     * make a scenario's score the mean of its sub-scenario means (1 for scenarios without sub-scenarios).
     */
    public double[] balanceWeights() {
        return balanceWeights(scenarioOfItem, subscenarioOfItem);
    }

    /** {@link #balanceWeights()} from the grouping alone. */
    public static double[] balanceWeights(int[] scenarioOfItem, int[] subscenarioOfItem) {
        int n = scenarioOfItem.length;
        double[] weights = new double[n];
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(-1) + 1;
        for (int s = 0; s < scenarios; s++) {
            int scenario = s;
            int[] members = java.util.stream.IntStream.range(0, n).filter(j -> scenarioOfItem[j] == scenario).toArray();
            java.util.Map<Integer, Integer> sizes = new java.util.HashMap<>();
            for (int j : members) {
                sizes.merge(subscenarioOfItem[j], 1, Integer::sum);
            }
            for (int j : members) {
                weights[j] = (double) members.length / (sizes.size() * sizes.get(subscenarioOfItem[j]));
            }
        }
        return weights;
    }
}
