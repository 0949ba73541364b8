package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.itembank.psychometrics.irt.CalibrationMonitor;

/**
 * A searched subset with a random part: per scenario, a share of the budget drawn at random first (tinyBenchmarks'
 * {@code get_random}, {@link RandomSelection}), the rest chosen by the method among the other items. No reading of a
 * searched subset is unbiased for a model unlike the training models (its anchors and weights describe them); the
 * random part is a probability sample of the whole scenario, so AIPW read on it (the IRT prediction of every item
 * plus the random part's mean residual, {@code estimation.Reading}) stays unbiased whatever the calibration gets
 * wrong for such a model, at the sampling error of the random part alone. Itembank's own construction, used by
 * {@code auto} for its searched candidates; the methods asked for by name stay as their papers define them.
 * <p>
 * Layout: items grouped by scenario in scenario order; within a scenario the searched items, then the random part
 * ({@link #PARAMETER} gives its size per scenario). Weights: each part's own weights (summing to 1 within the
 * scenario) times its share of the scenario's items, so the subset's weights still sum to 1 per scenario.
 */
public final class HybridSelection {

    /** The subset parameter that records the random part's size per scenario, comma-separated in scenario order. */
    public static final String PARAMETER = "random-part";

    /** Scenarios whose random part would hold fewer items than this get none (AIPW needs a spread to read). */
    static final int MIN_RANDOM = 5;

    private HybridSelection() {
    }

    /**
     * @param share the random part's share of each scenario's budget, in [0, 1)
     */
    public static Subset select(SelectionInput input, Selection.Method method, Budget budget, long seed,
            boolean[] excluded, double share, CalibrationMonitor monitor) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("share must be in [0, 1), got " + share);
        }
        int scenarios = input.scenarios();
        int[] sizes = new int[scenarios];
        for (int s = 0; s < scenarios; s++) {
            sizes[s] = RandomSelection.available(input.itemsOf(s), excluded).size();
        }
        int[] perScenario = budget.perScenario(sizes);
        int[] randomCounts = new int[scenarios];
        int[] searchedCounts = new int[scenarios];
        for (int s = 0; s < scenarios; s++) {
            int r = (int) Math.floor(share * perScenario[s]);
            randomCounts[s] = r >= MIN_RANDOM ? r : 0;
            searchedCounts[s] = perScenario[s] - randomCounts[s];
        }
        if (Arrays.stream(randomCounts).allMatch(r -> r == 0)) {
            return Selection.select(input, method, budget, seed, excluded, monitor);
        }
        // the random part first, drawn from every usable item; the search then works around it
        Subset random = RandomSelection.select(input, Budget.explicit(randomCounts), seed ^ 0x68796272L, excluded);
        boolean[] around = excluded == null ? new boolean[input.responses().items()] : excluded.clone();
        for (int j : random.items()) {
            around[j] = true;
        }
        Subset searched = Selection.select(input, method, Budget.explicit(searchedCounts), seed, around, monitor);
        List<Integer> items = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        int[] randomPart = new int[scenarios];
        int[] declared = new int[scenarios];
        for (int s = 0; s < scenarios; s++) {
            int searchedIn = count(input, searched, s);
            int randomIn = count(input, random, s);
            int total = searchedIn + randomIn;
            add(input, searched, s, (double) searchedIn / total, items, weights);
            add(input, random, s, (double) randomIn / total, items, weights);
            randomPart[s] = randomIn;
            // what the search declares (metabench's information may take fewer than asked) plus the random part
            declared[s] = searched.budget()[s] + randomIn;
        }
        Map<String, String> parameters = new LinkedHashMap<>(searched.parameters());
        parameters.put(PARAMETER, String.join(",", Arrays.stream(randomPart).mapToObj(Integer::toString).toList()));
        List<String> notes = new ArrayList<>(searched.diagnostics().notes());
        notes.add("random part: " + Arrays.toString(randomPart) + " of " + Arrays.toString(perScenario)
                + " items per scenario drawn at random (the unbiased reading beyond the training models)");
        return new Subset(searched.method(), parameters, seed, items.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), declared,
                new Subset.Diagnostics(searched.diagnostics().inertia(), searched.diagnostics().fitnessHistory(),
                        searched.diagnostics().dropped(), notes));
    }

    /**
     * Per position of the subset's items, whether it belongs to the random part; null when the subset has none
     * (every subset before this construction, and those of the methods asked for by name).
     */
    public static boolean[] randomPart(Subset subset, int[] scenarioOfItem) {
        String value = subset.parameters().get(PARAMETER);
        if (value == null || value.isBlank()) {
            return null;
        }
        int[] counts = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        int[] items = subset.items();
        int[] inScenario = new int[counts.length];
        for (int j : items) {
            inScenario[scenarioOfItem[j]]++;
        }
        boolean[] random = new boolean[items.length];
        int[] seen = new int[counts.length];
        for (int k = 0; k < items.length; k++) {
            int s = scenarioOfItem[items[k]];
            // the last counts[s] items of the scenario's group
            random[k] = seen[s]++ >= inScenario[s] - counts[s];
        }
        return random;
    }

    private static int count(SelectionInput input, Subset subset, int scenario) {
        return (int) Arrays.stream(subset.items()).filter(j -> input.scenarioOfItem()[j] == scenario).count();
    }

    private static void add(SelectionInput input, Subset subset, int scenario, double share, List<Integer> items,
            List<Double> weights) {
        double sum = 0;
        for (int k = 0; k < subset.items().length; k++) {
            if (input.scenarioOfItem()[subset.items()[k]] == scenario) {
                sum += subset.weights()[k];
            }
        }
        for (int k = 0; k < subset.items().length; k++) {
            if (input.scenarioOfItem()[subset.items()[k]] == scenario) {
                items.add(subset.items()[k]);
                weights.add(sum > 0 ? share * subset.weights()[k] / sum : 0);
            }
        }
    }
}
