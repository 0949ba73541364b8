package dev.itembank.psychometrics.irt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * tinyBenchmarks' choice of the number of dimensions: hold out every 5th training model, fit each candidate D
 * on the others, estimate each held-out model's ability (MLE) from its even-indexed items, predict each
 * scenario's mean score on its odd-indexed items, and take the smallest D whose mean absolute error is within
 * 0.0025 of the best.
 */
public final class DimensionSelection {

    public static final double WITHIN = 0.0025;

    private DimensionSelection() {
    }

    /**
     * The chosen D, each candidate's validation error, and the chosen D's error per scenario (the bias b-hat of
     * gp-IRT's lambda).
     */
    public record Result(int dimensions, Map<Integer, Double> errors, double[] scenarioErrors) {
    }

    public static Result choose(ResponseMatrix matrix, int[] scenarioOfItem, int scenarios, int[] candidates,
            JointMapCalibrator.Options base, CalibrationMonitor monitor) {
        int[] validation = IntStream.range(0, matrix.models()).filter(l -> l % 5 == 0).toArray();
        int[] training = IntStream.range(0, matrix.models()).filter(l -> l % 5 != 0).toArray();
        ResponseMatrix train = matrix.selectModels(training);
        int[] even = IntStream.range(0, matrix.items()).filter(j -> j % 2 == 0).toArray();
        Map<Integer, Double> errors = new LinkedHashMap<>();
        Map<Integer, double[]> perScenario = new LinkedHashMap<>();
        for (int candidate : candidates) {
            JointMapCalibrator.Options options = new JointMapCalibrator.Options(candidate, base.slopeSd(),
                    base.interceptSd(), base.tolerance(), base.maxIterations(), base.threads(), base.seed());
            ItemBank items = JointMapCalibrator.compute(train, options, monitor).items();
            double[] scenarioErrors = scenarioErrors(matrix, validation, even, items, scenarioOfItem, scenarios);
            perScenario.put(candidate, scenarioErrors);
            errors.put(candidate, java.util.Arrays.stream(scenarioErrors).filter(Double::isFinite).average()
                    .orElse(Double.NaN));
        }
        double best = errors.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        int chosen = errors.entrySet().stream()
                .filter(entry -> entry.getValue() - best < WITHIN)
                .mapToInt(Map.Entry::getKey).min().orElseThrow();
        return new Result(chosen, errors, perScenario.get(chosen));
    }

    /**
     * Per scenario, the mean over the validation models of | mean P over the odd items - mean score on them |,
     * abilities (MLE) from the even items: tinyBenchmarks' errors2[D][s].
     */
    public static double[] scenarioErrors(ResponseMatrix matrix, int[] validation, int[] even, ItemBank items,
            int[] scenarioOfItem, int scenarios) {
        double[] totals = new double[scenarios];
        int[] counted = new int[scenarios];
        double[] row = new double[matrix.items()];
        for (int l : validation) {
            matrix.row(l, row);
            double[] answers = new double[even.length];
            for (int k = 0; k < even.length; k++) {
                answers[k] = row[even[k]];
            }
            double[] theta = AbilityEstimator.estimate(items, even, answers, AbilityMethod.MLE).theta();
            double[] predicted = new double[scenarios];
            double[] actual = new double[scenarios];
            int[] counts = new int[scenarios];
            for (int j = 1; j < row.length; j += 2) {
                if (!Double.isNaN(row[j])) {
                    predicted[scenarioOfItem[j]] += items.probability(j, theta);
                    actual[scenarioOfItem[j]] += row[j];
                    counts[scenarioOfItem[j]]++;
                }
            }
            for (int s = 0; s < scenarios; s++) {
                if (counts[s] > 0) {
                    totals[s] += Math.abs(predicted[s] - actual[s]) / counts[s];
                    counted[s]++;
                }
            }
        }
        double[] errors = new double[scenarios];
        for (int s = 0; s < scenarios; s++) {
            errors[s] = counted[s] == 0 ? Double.NaN : totals[s] / counted[s];
        }
        return errors;
    }
}
