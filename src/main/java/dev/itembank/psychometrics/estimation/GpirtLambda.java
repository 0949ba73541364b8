package dev.itembank.psychometrics.estimation;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

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
