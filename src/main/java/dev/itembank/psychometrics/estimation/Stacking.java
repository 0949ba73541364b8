package dev.itembank.psychometrics.estimation;

import java.util.Arrays;

/**
 * Stacking of the estimators: per scenario, non-negative weights summing to 1 over the estimators' out-of-fold
 * predictions on the training models,
 * <pre>
 *   w = argmin_{w >= 0, sum w = 1} sum_l (truth_l - sum_e w_e pred_{e,l})^2
 * </pre>
 * solved by projected gradient descent onto the simplex (Duchi et al. 2008's projection). The stacked estimate of a
 * new model is sum_e w_e times each estimator's prediction. Its own error is measured honestly one level up: the
 * weights used for a fold's models are fitted on the other folds' out-of-fold predictions.
 */
final class Stacking {

    static final String CODE = "stacked";
    private static final int STEPS = 2000;

    private Stacking() {
    }

    /**
     * @param predictions [estimator][model] out-of-fold predictions (NaN entries: that model is skipped)
     * @param truth [model] full scores
     * @param use which models to fit on
     */
    static double[] weights(double[][] predictions, double[] truth, boolean[] use) {
        int estimators = predictions.length;
        int models = truth.length;
        double[][] gram = new double[estimators][estimators];
        double[] xty = new double[estimators];
        int n = 0;
        for (int l = 0; l < models; l++) {
            if (!use[l] || !Double.isFinite(truth[l])) {
                continue;
            }
            boolean finite = true;
            for (double[] p : predictions) {
                finite &= Double.isFinite(p[l]);
            }
            if (!finite) {
                continue;
            }
            n++;
            for (int a = 0; a < estimators; a++) {
                xty[a] += predictions[a][l] * truth[l];
                for (int b = 0; b < estimators; b++) {
                    gram[a][b] += predictions[a][l] * predictions[b][l];
                }
            }
        }
        double[] w = new double[estimators];
        Arrays.fill(w, 1.0 / estimators);
        if (n == 0) {
            return w;
        }
        // step 1 / L, L = the largest eigenvalue of the Gram matrix, bounded by its trace
        double trace = 0;
        for (int a = 0; a < estimators; a++) {
            trace += gram[a][a];
        }
        double step = 1.0 / Math.max(trace, 1e-12);
        double[] gradient = new double[estimators];
        for (int t = 0; t < STEPS; t++) {
            for (int a = 0; a < estimators; a++) {
                double g = -xty[a];
                for (int b = 0; b < estimators; b++) {
                    g += gram[a][b] * w[b];
                }
                gradient[a] = g;
            }
            for (int a = 0; a < estimators; a++) {
                w[a] -= step * gradient[a];
            }
            w = simplex(w);
        }
        return w;
    }

    /** The Euclidean projection of v onto {w >= 0, sum w = 1}. */
    static double[] simplex(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double cumulative = 0;
        double theta = 0;
        for (int k = sorted.length - 1, count = 1; k >= 0; k--, count++) {
            cumulative += sorted[k];
            double candidate = (cumulative - 1) / count;
            if (sorted[k] - candidate > 0) {
                theta = candidate;
            }
        }
        double[] w = new double[v.length];
        for (int a = 0; a < v.length; a++) {
            w[a] = Math.max(0, v[a] - theta);
        }
        return w;
    }
}
