package dev.itembank.psychometrics.estimation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * A direct regression of the full score on the answers to the scenario's subset items (the reading that wins with
 * many training models, as DISCO and Zhang et al. 2025 observe): per scenario, ridge regression
 * <pre>
 *   y_l = a + sum_k beta_k (x_lk - m_k),   beta = argmin |y - a - X beta|^2 + lambda |beta|^2
 *   in the dual form (fewer models than items): beta = X' U diag(1 / (e_i + lambda)) U' (y - mean y), X X' = U E U'
 *   in the primal form (more models than items): beta = V diag(1 / (e_i + lambda)) V' X' (y - mean y), X'X = V E V'
 *   lambda by generalised cross-validation: GCV = n RSS / (n - df)^2, df = sum_i e_i / (e_i + lambda)
 * </pre>
 * with m_k the item's training mean, which also stands in for an unanswered item. {@code ridge} regresses each
 * scenario's score on the answers to that scenario's subset items; {@code ridge-joint} (joint estimation across
 * scenarios, on benchmarks of more than one) on the answers to every subset item, so that a model's answers in one
 * scenario inform its score in the others.
 */
final class RidgeEstimator implements ScoreEstimator {

    private static final double[] LAMBDAS = {0.01, 0.1, 0.3, 1, 3, 10, 30, 100, 1000};

    private final String code;
    private final boolean acrossScenarios;

    RidgeEstimator(String code, boolean acrossScenarios) {
        this.code = code;
        this.acrossScenarios = acrossScenarios;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean appliesTo(Design design) {
        return !acrossScenarios || design.scenarios() > 1;
    }

    @Override
    public Fitted fit(Training training) {
        int scenarios = training.scenarios();
        int[] subset = training.design().subset().items();
        int[] scenarioOf = training.design().scenarioOfItem();
        double[][] intercept = new double[scenarios][];
        double[][] beta = new double[scenarios][];
        double[][] means = new double[scenarios][];
        int[][] positions = new int[scenarios][];
        // across scenarios every scenario reads the same answers: they are centred and decomposed once
        Answers shared = acrossScenarios
                ? new Answers(training.readings(), java.util.stream.IntStream.range(0, subset.length).toArray())
                : null;
        for (int s = 0; s < scenarios; s++) {
            int scenario = s;
            Answers answers = shared != null ? shared : new Answers(training.readings(),
                    java.util.stream.IntStream.range(0, subset.length).filter(k -> scenarioOf[subset[k]] == scenario)
                            .toArray());
            positions[s] = answers.positions;
            double[] truth = training.truth()[s];
            double meanY = Arrays.stream(truth).average().orElse(0);
            intercept[s] = new double[] {meanY};
            beta[s] = answers.beta(Arrays.stream(truth).map(t -> t - meanY).toArray());
            means[s] = answers.means;
        }
        return fitted(positions, intercept, beta, means);
    }

    /**
     * The training models' answers at some subset positions, centred on each item's mean (which also stands in for
     * an unanswered item), with the eigendecomposition the ridge needs, made once for any number of targets.
     */
    private static final class Answers {
        final int[] positions;
        final double[] means;
        private final int n;
        private final int p;
        private final RealMatrix design;
        private final boolean primal;
        /** X'X = V diag(e) V' (primal, more models than items) or X X' = U diag(e) U' (dual). */
        private final double[] e;
        private final RealMatrix vectors;

        Answers(Reading[] readings, int[] positions) {
            this.positions = positions;
            this.n = readings.length;
            this.p = positions.length;
            this.means = new double[p];
            int[] counts = new int[p];
            for (Reading reading : readings) {
                for (int k = 0; k < p; k++) {
                    double x = reading.answers()[positions[k]];
                    if (!Double.isNaN(x)) {
                        means[k] += x;
                        counts[k]++;
                    }
                }
            }
            for (int k = 0; k < p; k++) {
                means[k] = counts[k] == 0 ? 0 : means[k] / counts[k];
            }
            if (p == 0 || n < 3) {
                design = null;
                primal = false;
                e = null;
                vectors = null;
                return;
            }
            double[][] x = new double[n][p];
            for (int l = 0; l < n; l++) {
                for (int k = 0; k < p; k++) {
                    double value = readings[l].answers()[positions[k]];
                    x[l][k] = (Double.isNaN(value) ? means[k] : value) - means[k];
                }
            }
            design = MatrixUtils.createRealMatrix(x);
            primal = p < n;
            EigenDecompositionSymmetric eigen = new EigenDecompositionSymmetric(primal
                    ? design.transpose().multiply(design) : design.multiply(design.transpose()));
            e = eigen.getEigenvalues();
            vectors = eigen.getV();
        }

        /** beta for the centred target y, lambda by GCV (zeros where there is nothing to fit). */
        double[] beta(double[] y) {
            if (design == null) {
                return new double[p];
            }
            return primal ? primal(design, y, p, e, vectors) : dual(design, y, n, e, vectors);
        }
    }

    /** The dual form, for fewer models than items: the n x n eigenproblem of X X'. */
    static double[] dual(RealMatrix design, double[] y, int n) {
        EigenDecompositionSymmetric eigen = new EigenDecompositionSymmetric(design.multiply(design.transpose()));
        return dual(design, y, n, eigen.getEigenvalues(), eigen.getV());
    }

    /** The dual form from the decomposition X X' = U diag(e) U'. */
    private static double[] dual(RealMatrix design, double[] y, int n, double[] e, RealMatrix u) {
        double[] uty = u.transpose().operate(y);
        double bestLambda = byGcv(y, e, lambda -> {
            double[] shrunk = new double[n];
            for (int i = 0; i < n; i++) {
                double ei = Math.max(0, e[i]);
                shrunk[i] = uty[i] * ei / (ei + lambda);
            }
            return u.operate(shrunk);
        });
        double[] dual = new double[n];
        for (int i = 0; i < n; i++) {
            dual[i] = uty[i] / (Math.max(0, e[i]) + bestLambda);
        }
        return design.transpose().operate(u.operate(dual));
    }

    /**
     * The primal form, for more models than items (thousands of models: the dual's n x n eigenproblem would cost
     * n^3): X'X = V diag(e) V', c = V' X' y, beta = V diag(1 / (e_i + lambda)) c, the same df and GCV (X'X and
     * X X' share their non-zero eigenvalues).
     */
    static double[] primal(RealMatrix design, double[] y, int p) {
        EigenDecompositionSymmetric eigen = new EigenDecompositionSymmetric(design.transpose().multiply(design));
        return primal(design, y, p, eigen.getEigenvalues(), eigen.getV());
    }

    /** The primal form from the decomposition X'X = V diag(e) V'. */
    private static double[] primal(RealMatrix design, double[] y, int p, double[] e, RealMatrix v) {
        double[] c = v.transpose().operate(design.transpose().operate(y));
        double bestLambda = byGcv(y, e, lambda -> {
            double[] scaled = new double[p];
            for (int i = 0; i < p; i++) {
                scaled[i] = c[i] / (Math.max(0, e[i]) + lambda);
            }
            return design.operate(v.operate(scaled));
        });
        double[] scaled = new double[p];
        for (int i = 0; i < p; i++) {
            scaled[i] = c[i] / (Math.max(0, e[i]) + bestLambda);
        }
        return v.operate(scaled);
    }

    /**
     * The lambda of the grid with the lowest GCV = n RSS / (n - df)^2, df = sum_i e_i / (e_i + lambda), given the
     * fitted values at each lambda (the largest lambda when none leaves n - df above 1/2).
     */
    private static double byGcv(double[] y, double[] e, java.util.function.DoubleFunction<double[]> fitted) {
        int n = y.length;
        double bestScore = Double.POSITIVE_INFINITY;
        double bestLambda = LAMBDAS[LAMBDAS.length - 1];
        for (double lambda : LAMBDAS) {
            double df = 0;
            for (double value : e) {
                double ei = Math.max(0, value);
                df += ei / (ei + lambda);
            }
            double[] values = fitted.apply(lambda);
            double rss = 0;
            for (int l = 0; l < n; l++) {
                rss += (y[l] - values[l]) * (y[l] - values[l]);
            }
            double score = n * rss / Math.max(1e-12, (n - df) * (n - df));
            if (n - df > 0.5 && score < bestScore) {
                bestScore = score;
                bestLambda = lambda;
            }
        }
        return bestLambda;
    }

    @Override
    public Fitted restore(EstimatorState state) {
        int scenarios = (int) state.values().keySet().stream().filter(name -> name.startsWith("beta.")).count();
        int[][] positions = new int[scenarios][];
        double[][] intercept = new double[scenarios][];
        double[][] beta = new double[scenarios][];
        double[][] means = new double[scenarios][];
        for (int s = 0; s < scenarios; s++) {
            positions[s] = Arrays.stream(state.get("positions." + s)).mapToInt(v -> (int) v).toArray();
            intercept[s] = state.get("intercept." + s);
            beta[s] = state.get("beta." + s);
            means[s] = state.get("means." + s);
        }
        return fitted(positions, intercept, beta, means);
    }

    private static Fitted fitted(int[][] positions, double[][] intercept, double[][] beta, double[][] means) {
        return new Fitted() {
            @Override
            public double predict(Reading reading, int scenario) {
                double value = intercept[scenario][0];
                for (int k = 0; k < positions[scenario].length; k++) {
                    double x = reading.answers()[positions[scenario][k]];
                    value += beta[scenario][k] * ((Double.isNaN(x) ? means[scenario][k] : x) - means[scenario][k]);
                }
                return value;
            }

            @Override
            public EstimatorState state() {
                Map<String, double[]> values = new LinkedHashMap<>();
                for (int s = 0; s < positions.length; s++) {
                    values.put("positions." + s, Arrays.stream(positions[s]).asDoubleStream().toArray());
                    values.put("intercept." + s, intercept[s].clone());
                    values.put("beta." + s, beta[s].clone());
                    values.put("means." + s, means[s].clone());
                }
                return new EstimatorState(values);
            }
        };
    }
}
