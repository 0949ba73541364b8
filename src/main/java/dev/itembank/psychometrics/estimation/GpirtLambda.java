package dev.itembank.psychometrics.estimation;

import dev.itembank.psychometrics.irt.DimensionSelection;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Subset;

/**
 * gp-IRT's mixing weight per scenario, lambda = b^2 / (b^2 + v / (c n)): the inverse-MSE weight of the subset
 * average (variance about v / (c n)) against the IRT prediction (bias about b). v is the mean over training models
 * of the population variance of their scores in the scenario; b the IRT prediction's validation error
 * ({@code DimensionSelection.scenarioErrors}); n the subset's items in the scenario; c = 4 for anchor subsets
 * (anchors cut the variance about four times), 1 for random ones.
 *
 * @see <a href="https://arxiv.org/abs/2402.14992">Maia Polo et al. (2024), tinyBenchmarks</a>
 */
public final class GpirtLambda {

    public static final double ANCHORS = 4.0;
    public static final double RANDOM = 1.0;

    private GpirtLambda() {
    }

    /**
     * What gp-IRT's lambda is computed from, once per subset.
     *
     * @param bias b-hat per scenario: the IRT prediction's validation error
     * @param variance v-hat per scenario ({@link #itemVariance})
     * @param c the variance reduction credited to the subset: {@link #ANCHORS} or {@link #RANDOM}
     */
    public record Inputs(double[] bias, double[] variance, double c) {
    }

    /** c for a subset made by {@code method} (the method {@code auto} chose, for auto subsets). */
    public static double factorFor(String method) {
        return Subset.RANDOM_SAMPLES.contains(method) ? RANDOM : ANCHORS;
    }

    /**
     * b-hat by the package's rule: hold out every 5th training model, calibrate on the others ({@code calibrate}),
     * estimate each held-out model's ability from its even-indexed items and compare the predicted mean score on
     * its odd-indexed items with the observed one, per scenario ({@link DimensionSelection#scenarioErrors}). With
     * the calibration already fitted on every training model in place of {@code calibrate}, the held-out models
     * were seen by the fit and b-hat is optimistic.
     */
    public static double[] validationBias(ResponseMatrix training, int[] scenarioOfItem, int scenarios,
            java.util.function.Function<ResponseMatrix, ItemBank> calibrate) {
        int[] validation = java.util.stream.IntStream.range(0, training.models()).filter(l -> l % 5 == 0).toArray();
        int[] fit = java.util.stream.IntStream.range(0, training.models()).filter(l -> l % 5 != 0).toArray();
        int[] even = java.util.stream.IntStream.range(0, training.items()).filter(j -> j % 2 == 0).toArray();
        ItemBank items = calibrate.apply(training.selectModels(fit));
        return DimensionSelection.scenarioErrors(training, validation, even, items, scenarioOfItem, scenarios);
    }

    /** lambda = b^2 / (b^2 + v / (c n)). */
    public static double lambda(double bias, double variance, double c, int n) {
        double b2 = bias * bias;
        double sampling = variance / (c * n);
        return b2 + sampling == 0 ? 0.5 : b2 / (b2 + sampling);
    }

    /** v-hat per scenario: the mean over models of the population variance (ddof 0) of their scenario scores. */
    public static double[] itemVariance(ResponseMatrix training, int[] scenarioOfItem, int scenarios) {
        double[] totals = new double[scenarios];
        int[] models = new int[scenarios];
        double[] row = new double[training.items()];
        for (int l = 0; l < training.models(); l++) {
            training.row(l, row);
            double[] sum = new double[scenarios];
            double[] squares = new double[scenarios];
            int[] count = new int[scenarios];
            for (int j = 0; j < row.length; j++) {
                if (!Double.isNaN(row[j])) {
                    int s = scenarioOfItem[j];
                    sum[s] += row[j];
                    squares[s] += row[j] * row[j];
                    count[s]++;
                }
            }
            for (int s = 0; s < scenarios; s++) {
                if (count[s] > 0) {
                    double mean = sum[s] / count[s];
                    totals[s] += squares[s] / count[s] - mean * mean;
                    models[s]++;
                }
            }
        }
        double[] variance = new double[scenarios];
        for (int s = 0; s < scenarios; s++) {
            variance[s] = models[s] == 0 ? Double.NaN : totals[s] / models[s];
        }
        return variance;
    }
}
