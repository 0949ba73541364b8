package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * A random sample stratified by difficulty ({@code stratified}): the quotas of {@link RandomSelection} per scenario
 * and sub-scenario, and within a sub-scenario of N items with quota n, its items ordered by their mean score over
 * the training models and cut into n consecutive strata of N / n items (sizes differing by at most one), one item
 * drawn uniformly from each. An item drawn from stratum h of sub-scenario g carries the weight
 * <pre>
 *   w = share_g * N_h / N_g       (share_g: g's part of the scenario score, as in RandomSelection)
 * </pre>
 * so the weighted mean sum_h w_h y_h is unbiased for the scenario score of every model, one stronger than all the
 * training models included: the strata only decide where the draws fall, and each item of the sub-scenario has
 * probability 1 / N_h of standing for its N_h-item stratum. Against a simple random sample of the same size its
 * variance loses the between-strata part, the share of a model's item-to-item variation that the items' difficulty
 * explains (Cochran, Sampling Techniques, 3rd ed., 1977, section 5A: stratified sampling with proportional
 * allocation never does worse than simple random sampling, up to terms in 1 / N). The design-unbiased readings
 * (the weighted mean, AIPW) stay unbiased on it; their sampling-error formula, written for a simple random sample,
 * is conservative here.
 */
public final class StratifiedSelection {

    private StratifiedSelection() {
    }

    public static Subset select(SelectionInput input, Budget budget, long seed, boolean[] excluded) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] balance = input.balanceWeights();
        double[] easiness = meanScores(input.responses());
        int scenarios = input.scenarios();
        int[] sizes = new int[scenarios];
        for (int s = 0; s < scenarios; s++) {
            sizes[s] = RandomSelection.available(input.itemsOf(s), excluded).size();
        }
        int[] perScenario = budget.perScenario(sizes);
        List<Integer> chosen = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            Map<Integer, List<Integer>> bySubscenario = new TreeMap<>();
            for (int j : RandomSelection.available(input.itemsOf(s), excluded)) {
                bySubscenario.computeIfAbsent(input.subscenarioOfItem()[j], k -> new ArrayList<>()).add(j);
            }
            RandomSelection.Quotas quotas = RandomSelection.quotas(new ArrayList<>(bySubscenario.values()),
                    perScenario[s], random);
            List<List<Integer>> groups = quotas.order();
            int[] quota = quotas.quota();
            double covered = 0;
            for (int g = 0; g < groups.size(); g++) {
                if (quota[g] > 0) {
                    covered += groups.get(g).stream().mapToDouble(j -> balance[j]).sum();
                }
            }
            for (int g = 0; g < groups.size(); g++) {
                if (quota[g] == 0) {
                    continue;
                }
                List<Integer> group = new ArrayList<>(groups.get(g));
                double share = group.stream().mapToDouble(j -> balance[j]).sum() / covered;
                // ties in difficulty in a random order, so that equal items are not always cut the same way
                RandomSelection.shuffle(group, random);
                group.sort(Comparator.comparingDouble(j -> easiness[j]));
                int size = group.size();
                for (int h = 0; h < quota[g]; h++) {
                    // stratum h: positions [h N / n, (h + 1) N / n)
                    int from = (int) ((long) h * size / quota[g]);
                    int to = (int) ((long) (h + 1) * size / quota[g]);
                    chosen.add(group.get(from + random.nextInt(to - from)));
                    weights.add(share * (to - from) / size);
                }
            }
        }
        return new Subset("stratified", Map.of(), seed, chosen.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), perScenario, Subset.Diagnostics.none());
    }

    /** Each item's mean score over the models that answered it (0.5 when none did). */
    private static double[] meanScores(ResponseMatrix responses) {
        double[] sum = new double[responses.items()];
        int[] count = new int[responses.items()];
        double[] row = new double[responses.items()];
        for (int l = 0; l < responses.models(); l++) {
            responses.row(l, row);
            for (int j = 0; j < row.length; j++) {
                if (!Double.isNaN(row[j])) {
                    sum[j] += row[j];
                    count[j]++;
                }
            }
        }
        double[] mean = new double[sum.length];
        Arrays.setAll(mean, j -> count[j] == 0 ? 0.5 : sum[j] / count[j]);
        return mean;
    }
}
