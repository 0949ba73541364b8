package dev.itembank.psychometrics.estimation;

import java.util.Arrays;

import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * An additive model of penalised regression splines (P-splines, Eilers and Marx 1996), as metabench's GAMs
 * ({@code mgcv::gam(y ~ s(x1) + s(x2) + ...)}) fit the score on abilities and subscores:
 * <pre>
 *   y = a + sum_f sum_k beta_fk (B_k(x_f) - mean_l B_k(x_lf))
 *   minimise |y - X beta|^2 + lambda sum_f |D2 beta_f|^2            (D2: second differences of a term's coefficients)
 *   lambda by generalised cross-validation, GCV = n RSS / (n - tr H)^2, H = X (X'X + lambda P)^-1 X'
 * </pre>
 * with {@value #BASIS} cubic B-splines on equally spaced knots over each feature's training range; a feature
 * outside that range is held at its edge. Deliberate differences from mgcv's {@code bs = "ad"}: one smoothing
 * parameter for all terms instead of adaptive ones per term, and a fixed basis of {@value #BASIS} functions
 * (training sets here have tens of models, not thousands).
 */
final class PenalizedSplines {

    static final int BASIS = 6;
    private static final double[] LAMBDAS = {1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4};
    private final double[] low;
    private final double[] high;
    private final double[] centre;
    private final double[] beta;

    PenalizedSplines(double[] low, double[] high, double[] centre, double[] beta) {
        if (low.length != high.length || centre.length != low.length * BASIS
                || beta.length != 1 + low.length * BASIS) {
            throw new IllegalArgumentException("inconsistent spline model: " + low.length + " features, "
                    + centre.length + " centres, " + beta.length + " coefficients");
        }
        this.low = low;
        this.high = high;
        this.centre = centre;
        this.beta = beta;
    }

    /** Fits on rows {@code x[n][f]} and targets {@code y[n]}, lambda chosen by GCV. */
    static PenalizedSplines fit(double[][] x, double[] y) {
        int n = x.length;
        int features = x[0].length;
        double[] low = new double[features];
        double[] high = new double[features];
        for (int f = 0; f < features; f++) {
            int feature = f;
            low[f] = Arrays.stream(x).mapToDouble(row -> row[feature]).filter(Double::isFinite).min().orElse(0);
            high[f] = Arrays.stream(x).mapToDouble(row -> row[feature]).filter(Double::isFinite).max().orElse(1);
            if (high[f] - low[f] < 1e-9) {
                high[f] = low[f] + 1; // a constant feature: any basis, centred away
            }
        }
        int p = 1 + features * BASIS;
        double[][] raw = new double[n][];
        double[] centre = new double[features * BASIS];
        for (int i = 0; i < n; i++) {
            raw[i] = basis(x[i], low, high);
            for (int k = 0; k < centre.length; k++) {
                centre[k] += raw[i][k] / n;
            }
        }
        double[][] design = new double[n][p];
        for (int i = 0; i < n; i++) {
            design[i][0] = 1;
            for (int k = 0; k < centre.length; k++) {
                design[i][1 + k] = raw[i][k] - centre[k];
            }
        }
        RealMatrix xMatrix = MatrixUtils.createRealMatrix(design);
        RealMatrix gram = xMatrix.transpose().multiply(xMatrix);
        double[] xty = xMatrix.transpose().operate(y);
        RealMatrix penalty = penalty(features);
        double bestScore = Double.POSITIVE_INFINITY;
        double[] best = null;
        for (double lambda : LAMBDAS) {
            RealMatrix system = gram.add(penalty.scalarMultiply(lambda));
            for (int k = 0; k < p; k++) {
                system.addToEntry(k, k, 1e-8); // keeps the centred basis' null directions solvable
            }
            DecompositionSolver solver;
            try {
                solver = new CholeskyDecomposition(system, 1e-12, 1e-14).getSolver();
            } catch (org.hipparchus.exception.MathIllegalArgumentException e) {
                continue;
            }
            double[] coefficients = solver.solve(MatrixUtils.createRealVector(xty)).toArray();
            double rss = 0;
            for (int i = 0; i < n; i++) {
                double fitted = 0;
                for (int k = 0; k < p; k++) {
                    fitted += design[i][k] * coefficients[k];
                }
                rss += (y[i] - fitted) * (y[i] - fitted);
            }
            double trace = solver.solve(gram).getTrace(); // tr((X'X + lambda P)^-1 X'X) = tr H
            double score = n * rss / Math.max(1e-12, (n - trace) * (n - trace));
            if (n - trace > 0.5 && score < bestScore) {
                bestScore = score;
                best = coefficients;
            }
        }
        if (best == null) {
            best = new double[p];
            best[0] = Arrays.stream(y).average().orElse(0);
        }
        return new PenalizedSplines(low, high, centre, best);
    }

    double predict(double[] x) {
        double[] raw = basis(x, low, high);
        double value = beta[0];
        for (int k = 0; k < raw.length; k++) {
            value += beta[1 + k] * (raw[k] - centre[k]);
        }
        return value;
    }

    double[] low() {
        return low.clone();
    }

    double[] high() {
        return high.clone();
    }

    double[] centre() {
        return centre.clone();
    }

    double[] beta() {
        return beta.clone();
    }

    /** Second-difference penalty on each term's coefficients (none on the intercept). */
    private static RealMatrix penalty(int features) {
        int p = 1 + features * BASIS;
        RealMatrix penalty = MatrixUtils.createRealMatrix(p, p);
        for (int f = 0; f < features; f++) {
            int offset = 1 + f * BASIS;
            for (int k = 0; k + 2 < BASIS; k++) {
                int[] at = {offset + k, offset + k + 1, offset + k + 2};
                double[] d = {1, -2, 1};
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        penalty.addToEntry(at[a], at[b], d[a] * d[b]);
                    }
                }
            }
        }
        return penalty;
    }

    /** Each feature's {@value #BASIS} cubic B-splines on equally spaced knots over [low, high], x held in range. */
    private static double[] basis(double[] x, double[] low, double[] high) {
        double[] values = new double[x.length * BASIS];
        int segments = BASIS - 3;
        for (int f = 0; f < x.length; f++) {
            double value = Double.isFinite(x[f]) ? x[f] : (low[f] + high[f]) / 2;
            double t = (Math.min(high[f], Math.max(low[f], value)) - low[f]) / (high[f] - low[f]) * segments;
            int segment = Math.min(segments - 1, (int) Math.floor(t));
            double u = t - segment;
            // uniform cubic B-spline: the four basis functions that are non-zero on this segment
            double[] b = {(1 - u) * (1 - u) * (1 - u) / 6, (3 * u * u * u - 6 * u * u + 4) / 6,
                (-3 * u * u * u + 3 * u * u + 3 * u + 1) / 6, u * u * u / 6};
            for (int k = 0; k < 4; k++) {
                values[f * BASIS + segment + k] = b[k];
            }
        }
        return values;
    }
}
