package dev.itembank.psychometrics.estimation;

import java.util.Arrays;

import dev.itembank.psychometrics.irt.AbilityEstimator;
import dev.itembank.psychometrics.irt.AbilityMethod;
import dev.itembank.psychometrics.irt.ItemBank;

/**
 * tinyBenchmarks' estimators of a scenario's full score from a model's answers on a subset, exactly as its
 * package computes them:
 * <pre>
 *   weighted_s = sum_k w_k y_k                                   (the package's "irt" key)
 *   p-IRT_s    = l_s mean_{i in S_s}(b_i y_i) + (1 - l_s) mean_{i in U_s}(b_i P_i(theta))     l_s = n_s / N_s
 *   gp-IRT_s   = lambda_s weighted_s + (1 - lambda_s) p-IRT_s
 * </pre>
 * with S_s the scenario's subset items, U_s its other items, b the balance weights, w the subset weights and
 * theta the maximum-likelihood ability from all subset answers jointly (BFGS from 0).
 *
 * @see <a href="https://arxiv.org/abs/2402.14992">Maia Polo et al. (2024), tinyBenchmarks</a>
 */
public final class TinyBenchmarksEstimators {

    private TinyBenchmarksEstimators() {
    }

    /** One scenario's estimates. */
    public record Estimates(double subsetMean, double weighted, double pirt, double gpirt) {
    }

    /**
     * @param items the calibration, over every item of the benchmark
     * @param scenarioOfItem each item's scenario
     * @param balance each item's balance weight
     * @param subset the subset's items
     * @param weights the subset's weights (summing to 1 per scenario)
     * @param answers the model's scores on the subset items (NaN for unanswered)
     * @param lambdas gp-IRT's lambda per scenario
     * @return estimates per scenario
     */
    public static Estimates[] estimate(ItemBank items, int[] scenarioOfItem, double[] balance, int[] subset,
            double[] weights, double[] answers, double[] lambdas) {
        double[] theta = AbilityEstimator.estimate(items, subset, answers, AbilityMethod.MLE).theta();
        int scenarios = lambdas.length;
        boolean[] inSubset = new boolean[scenarioOfItem.length];
        for (int j : subset) {
            inSubset[j] = true;
        }
        Estimates[] estimates = new Estimates[scenarios];
        for (int s = 0; s < scenarios; s++) {
            double weighted = 0;
            double weightSum = 0;
            double plain = 0;
            double balanced = 0;
            int answered = 0;
            for (int k = 0; k < subset.length; k++) {
                int j = subset[k];
                if (scenarioOfItem[j] != s || Double.isNaN(answers[k])) {
                    continue;
                }
                weighted += weights[k] * answers[k];
                weightSum += weights[k];
                plain += answers[k];
                balanced += balance[j] * answers[k];
                answered++;
            }
            double predicted = 0;
            int others = 0;
            int total = 0;
            for (int j = 0; j < scenarioOfItem.length; j++) {
                if (scenarioOfItem[j] != s) {
                    continue;
                }
                total++;
                if (!inSubset[j]) {
                    predicted += balance[j] * items.probability(j, theta);
                    others++;
                }
            }
            // l_s = n_s / N_s: the share of the scenario that was answered
            double share = (double) answered / total;
            double weightedEstimate = weightSum == 0 ? Double.NaN : weighted / weightSum;
            double pirt = share * (answered == 0 ? 0 : balanced / answered)
                    + (1 - share) * (others == 0 ? 0 : predicted / others);
            double gpirt = lambdas[s] * weightedEstimate + (1 - lambdas[s]) * pirt;
            estimates[s] = new Estimates(answered == 0 ? Double.NaN : plain / answered, weightedEstimate, pirt, gpirt);
        }
        return estimates;
    }

    /** Balance weights of 1 (scenarios without sub-scenarios). */
    public static double[] unitWeights(int items) {
        double[] ones = new double[items];
        Arrays.fill(ones, 1.0);
        return ones;
    }
}
