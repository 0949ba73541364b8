package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

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
        ResponseMatrix responses = input.responses();
        // each item's mean score over the training models (0.5 where none answered it)
        double[] easiness = Arrays.stream(responses.columnMeans(IntStream.range(0, responses.models()).toArray()))
                .map(mean -> Double.isNaN(mean) ? 0.5 : mean).toArray();
        return RandomSelection.draw("stratified", input, budget, seed, excluded,
                (members, quota, share, random, picks) -> {
                    if (quota == 0) {
                        return;
                    }
                    List<Integer> group = new ArrayList<>(members);
                    // ties in difficulty in a random order, so that equal items are not always cut the same way
                    RandomSelection.shuffle(group, random);
                    group.sort(Comparator.comparingDouble(j -> easiness[j]));
                    int size = group.size();
                    for (int h = 0; h < quota; h++) {
                        // stratum h: positions [h N / n, (h + 1) N / n)
                        int from = (int) ((long) h * size / quota);
                        int to = (int) ((long) (h + 1) * size / quota);
                        picks.add(group.get(from + random.nextInt(to - from)), share * (to - from) / size);
                    }
                });
    }
}
