package dev.itembank.psychometrics.estimation;

import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * An additive penalised regression, y ~ a + sum_f (b_f1 x_f + b_f2 x_f^2 + b_f3 x_f^3), ridge-penalised on the
 * non-linear terms of centred features: a smooth additive fit in the spirit of metabench's GAM on few training
 * models, without its adaptive splines.
 */
final class AdditiveRegression {

    private static final double PENALTY = 1.0;
    private final double[] centre;
    private final double[] scale;
    private final double[] beta;

    AdditiveRegression(double[] centre, double[] scale, double[] beta) {
        if (centre.length != scale.length || beta.length != 1 + 3 * centre.length) {
            throw new IllegalArgumentException("a regression on " + centre.length + " features needs "
                    + (1 + 3 * centre.length) + " coefficients, got " + beta.length);
        }
        this.centre = centre;
        this.scale = scale;
        this.beta = beta;
    }

    /** Fits on rows {@code x[n][f]} and targets {@code y[n]}. */
    static AdditiveRegression fit(double[][] x, double[] y) {
        int n = x.length;
        int features = x[0].length;
        double[] centre = new double[features];
        double[] scale = new double[features];
        for (int f = 0; f < features; f++) {
            for (double[] row : x) {
                centre[f] += row[f] / n;
            }
            for (double[] row : x) {
                scale[f] += (row[f] - centre[f]) * (row[f] - centre[f]) / n;
            }
            scale[f] = Math.sqrt(scale[f]) > 1e-9 ? Math.sqrt(scale[f]) : 1;
        }
        int p = 1 + 3 * features;
        double[][] gram = new double[p][p];
        double[] rhs = new double[p];
        double[] basis = new double[p];
        for (int i = 0; i < n; i++) {
            basis(x[i], centre, scale, basis);
            for (int r = 0; r < p; r++) {
                rhs[r] += basis[r] * y[i];
                for (int c = 0; c < p; c++) {
                    gram[r][c] += basis[r] * basis[c];
                }
            }
        }
        for (int f = 0; f < features; f++) {
            gram[1 + 3 * f][1 + 3 * f] += 1e-6;
            gram[2 + 3 * f][2 + 3 * f] += PENALTY;
            gram[3 + 3 * f][3 + 3 * f] += PENALTY;
        }
        gram[0][0] += 1e-9;
        RealMatrix system = MatrixUtils.createRealMatrix(gram);
        double[] beta = new CholeskyDecomposition(system, 1e-6, 1e-14).getSolver()
                .solve(MatrixUtils.createRealVector(rhs)).toArray();
        return new AdditiveRegression(centre, scale, beta);
    }

    double[] centre() {
        return centre.clone();
    }

    double[] scale() {
        return scale.clone();
    }

    double[] beta() {
        return beta.clone();
    }

    double predict(double[] x) {
        double[] basis = new double[beta.length];
        basis(x, centre, scale, basis);
        double value = 0;
        for (int k = 0; k < beta.length; k++) {
            value += beta[k] * basis[k];
        }
        return value;
    }

    private static void basis(double[] x, double[] centre, double[] scale, double[] basis) {
        basis[0] = 1;
        for (int f = 0; f < x.length; f++) {
            double z = (x[f] - centre[f]) / scale[f];
            basis[1 + 3 * f] = z;
            basis[2 + 3 * f] = z * z;
            basis[3 + 3 * f] = z * z * z;
        }
    }
}
