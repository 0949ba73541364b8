package dev.itembank.psychometrics.irt;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * Multidimensional 2PL calibration, P(y_lj = 1) = sigmoid(a_j . theta_l + d_j), by joint maximum a posteriori
 * with Gaussian priors theta ~ N(0, I), a_jk ~ N(0, slopeSd^2), d_j ~ N(0, interceptSd^2), maximised by
 * alternating Newton steps: all items given the abilities, then all abilities given the items. Abilities are
 * identified up to a rotation, as in every exploratory multidimensional model. Missing cells are skipped;
 * fractional scores act as soft Bernoulli targets.
 *
 * @see <a href="https://arxiv.org/abs/2402.14992">Maia Polo et al. (2024), tinyBenchmarks (py-irt multidim_2pl)</a>
 */
public final class JointMapCalibrator {

    static final int HESSIAN_EVERY = 6;

    private JointMapCalibrator() {
    }

    /**
     * @param dimensions D, from 1 to 15
     * @param slopeSd prior SD of each discrimination
     * @param interceptSd prior SD of each intercept
     * @param tolerance stop when the log-posterior improves by less than this fraction of its size
     * @param maxIterations cap on alternations
     * @param threads worker threads
     * @param seed seed of the start values
     */
    public record Options(int dimensions, double slopeSd, double interceptSd, double tolerance, int maxIterations,
            int threads, long seed) {

        public Options {
            if (dimensions < 1 || dimensions > 15) {
                throw new IllegalArgumentException("dimensions must be from 1 to 15, got " + dimensions);
            }
            if (!(slopeSd > 0 && interceptSd > 0 && tolerance > 0) || maxIterations < 1 || threads < 1) {
                throw new IllegalArgumentException("need positive prior SDs and tolerance, maxIterations >= 1 and "
                        + "threads >= 1");
            }
        }

        public static Options defaults(int dimensions) {
            return new Options(dimensions, 1.5, 5.0, 1e-6, 500, Runtime.getRuntime().availableProcessors(), 0L);
        }

        public Options withSeed(long value) {
            return new Options(dimensions, slopeSd, interceptSd, tolerance, maxIterations, threads, value);
        }

        public Options withThreads(int count) {
            return new Options(dimensions, slopeSd, interceptSd, tolerance, maxIterations, count, seed);
        }

        public Options withMaxIterations(int count) {
            return new Options(dimensions, slopeSd, interceptSd, tolerance, count, threads, seed);
        }
    }

    public static Calibration compute(ResponseMatrix matrix, Options options, CalibrationMonitor monitor) {
        long start = System.currentTimeMillis();
        if (matrix.models() < 2 || matrix.items() < 1) {
            throw new IllegalArgumentException("calibration needs at least 2 models and 1 item, got " + matrix);
        }
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            JointMapState state = new JointMapState(matrix, options);
            state.initialise(new SplittableRandom(options.seed()), pool);
            double objective = Double.NEGATIVE_INFINITY;
            int iteration = 0;
            boolean converged = false;
            while (iteration < options.maxIterations() && !converged) {
                monitor.checkCancelled();
                iteration++;
                // Hessians are recomputed in the first three iterations and every HESSIAN_EVERY-th after, each time
                // after a closed-form move along the likelihood's flat directions
                boolean refresh = iteration <= 3 || iteration % HESSIAN_EVERY == 0;
                if (refresh) {
                    state.rebalance();
                }
                state.itemStep(pool, refresh);
                double next = state.abilityStep(pool, refresh);
                converged = Math.abs(next - objective) <= options.tolerance() * Math.abs(next);
                objective = next;
                monitor.progress((double) iteration / options.maxIterations(), "joint MAP iteration " + iteration
                        + ": log-posterior " + String.format("%.4f", objective));
            }
            double[] errors = new double[matrix.models() * options.dimensions()];
            double logLikelihood = state.abilityErrors(pool, errors);
            int parameters = matrix.items() * (options.dimensions() + 1);
            return new Calibration(state.items(), state.theta.clone(), errors, logLikelihood, iteration, converged,
                    parameters, Calibration.aic(logLikelihood, parameters),
                    Calibration.bic(logLikelihood, parameters, matrix.models()), System.currentTimeMillis() - start,
                    options.seed());
        } finally {
            pool.shutdown();
        }
    }
}
