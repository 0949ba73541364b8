package dev.itembank.psychometrics.irt;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * tinyBenchmarks' binarisation of continuous scores: per scenario, the threshold c in linspace(0.01, 0.99, 1000)
 * that minimises the mean over models of | mean_i 1[Y_li > c] - mean_i Y_li |, chosen on the training models
 * and applied to every model.
 *
 * @see <a href="https://arxiv.org/abs/2402.14992">Maia Polo et al. (2024), tinyBenchmarks</a>
 */
public final class Binarization {

    private static final int GRID = 1000;

    private Binarization() {
    }

    /** One threshold per scenario; {@code scenarioOfItem[j]} in [0, scenarios). */
    public static double[] thresholds(ResponseMatrix matrix, int[] scenarioOfItem, int scenarios) {
        double[] thresholds = new double[scenarios];
        double[] row = new double[matrix.items()];
        // per model and scenario: sorted scores, so that the share above each threshold is a binary search
        double[][][] sorted = new double[scenarios][matrix.models()][];
        double[][] means = new double[scenarios][matrix.models()];
        for (int l = 0; l < matrix.models(); l++) {
            matrix.row(l, row);
            for (int s = 0; s < scenarios; s++) {
                int scenario = s;
                double[] values = java.util.stream.IntStream.range(0, row.length)
                        .filter(j -> scenarioOfItem[j] == scenario && !Double.isNaN(row[j]))
                        .mapToDouble(j -> row[j]).sorted().toArray();
                sorted[s][l] = values;
                means[s][l] = values.length == 0 ? Double.NaN : java.util.Arrays.stream(values).average().orElse(0);
            }
        }
        for (int s = 0; s < scenarios; s++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < GRID; k++) {
                double c = 0.01 + (0.99 - 0.01) * k / (GRID - 1);
                double error = 0;
                int counted = 0;
                for (int l = 0; l < matrix.models(); l++) {
                    double[] values = sorted[s][l];
                    if (values.length == 0) {
                        continue;
                    }
                    double above = values.length - upperBound(values, c);
                    error += Math.abs(above / values.length - means[s][l]);
                    counted++;
                }
                error = counted == 0 ? 0 : error / counted;
                if (error < best) {
                    best = error;
                    thresholds[s] = c;
                }
            }
        }
        return thresholds;
    }

    /** 1 where a score is above its scenario's threshold, 0 elsewhere; missing cells stay missing. */
    public static ResponseMatrix binarize(ResponseMatrix matrix, int[] scenarioOfItem, double[] thresholds) {
        ResponseMatrix.Builder builder = ResponseMatrix.binary(matrix.models(), matrix.items());
        double[] row = new double[matrix.items()];
        for (int l = 0; l < matrix.models(); l++) {
            matrix.row(l, row);
            for (int j = 0; j < row.length; j++) {
                if (!Double.isNaN(row[j])) {
                    builder.set(l, j, row[j] > thresholds[scenarioOfItem[j]] ? 1 : 0);
                }
            }
        }
        return builder.build();
    }

    /** The number of values <= c in a sorted array. */
    private static int upperBound(double[] sorted, double c) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= c) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
