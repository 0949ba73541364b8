package dev.itembank.psychometrics.irt;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * Unidimensional calibration by marginal maximum likelihood, EM over a quadrature grid (Bock and Aitkin, 1981),
 * with Fisher-scoring M-steps per item and a standard normal latent distribution, as R mirt's {@code method =
 * "EM"} does. Missing cells are skipped; fractional scores act as soft Bernoulli targets.
 *
 * <p>For the 1PL and 2PL the complete-data likelihood is log-linear in theta, so the E-step needs only each
 * model's sums of a_i y_i and d_i y_i and the M-step only each item's sums of y and y * E[theta]: an iteration
 * costs O(cells), not O(cells x quadrature points). The 3PL and 4PL use the full expected counts.
 *
 * @see <a href="https://doi.org/10.1007/BF02293801">Bock and Aitkin (1981)</a>
 */
public final class EmCalibrator {

    private EmCalibrator() {
    }

    /**
     * @param model the item model
     * @param quadraturePoints equally spaced points on [-6, 6] (mirt's default: 61)
     * @param tolerance stop when an EM step moves no item parameter more than this (mirt's TOL: 1e-4)
     * @param maxIterations cap on EM steps (one E-step and one M-step each; mirt's NCYCLES: 500)
     * @param priors weak priors on the item parameters
     * @param threads worker threads for the E- and M-steps
     * @param accelerate extrapolate EM's steps by SQUAREM (same fixed point, far fewer steps)
     */
    public record Options(ItemModel model, int quadraturePoints, double tolerance, int maxIterations,
            EmPriors priors, int threads, boolean accelerate) {

        public Options {
            if (quadraturePoints < 5 || tolerance <= 0 || maxIterations < 1 || threads < 1) {
                throw new IllegalArgumentException("need quadraturePoints >= 5, tolerance > 0, maxIterations >= 1 "
                        + "and threads >= 1");
            }
        }

        public static Options defaults(ItemModel model) {
            return new Options(model, 61, 1e-4, 500, EmPriors.defaults(), Runtime.getRuntime().availableProcessors(),
                    true);
        }

        public Options withMaxIterations(int iterations) {
            return new Options(model, quadraturePoints, tolerance, iterations, priors, threads, accelerate);
        }

        public Options withTolerance(double value) {
            return new Options(model, quadraturePoints, value, maxIterations, priors, threads, accelerate);
        }

        public Options withThreads(int count) {
            return new Options(model, quadraturePoints, tolerance, maxIterations, priors, count, accelerate);
        }

        public Options withAcceleration(boolean value) {
            return new Options(model, quadraturePoints, tolerance, maxIterations, priors, threads, value);
        }
    }

    public static Calibration compute(ResponseMatrix matrix, Options options, CalibrationMonitor monitor) {
        long start = System.currentTimeMillis();
        if (matrix.models() < 2 || matrix.items() < 1) {
            throw new IllegalArgumentException("calibration needs at least 2 models and 1 item, got " + matrix);
        }
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            EmState state = EmState.start(matrix, options);
            Steps steps = new Steps(state, pool, options, monitor);
            if (options.accelerate()) {
                steps.squarem();
            } else {
                while (steps.count < options.maxIterations() && !steps.converged) {
                    steps.step();
                }
            }
            EmState.Expectation expectation = state.expectation(pool);
            UnidimensionalItems items = state.items();
            int parameters = items.freeParameters();
            double logLikelihood = expectation.logLikelihood();
            return new Calibration(items, expectation.abilityMeans(), expectation.abilitySds(), logLikelihood,
                    steps.count, steps.converged, parameters, Calibration.aic(logLikelihood, parameters),
                    Calibration.bic(logLikelihood, parameters, matrix.models()), System.currentTimeMillis() - start, 0L);
        } finally {
            pool.shutdown();
        }
    }

    /** EM steps on one state, plain or extrapolated, counted against the cap. */
    private static final class Steps {

        /** SQUAREM's defaults (Varadhan and Roland 2008; R package SQUAREM): step.max0 = 1, mstep = 4. */
        private static final double STEP_MAX_START = 1;
        private static final double STEP_MAX_FACTOR = 4;

        private final EmState state;
        private final ForkJoinPool pool;
        private final Options options;
        private final CalibrationMonitor monitor;
        int count;
        boolean converged;
        /** The marginal log-likelihood at the parameters the last step started from. */
        double logLikelihood = Double.NEGATIVE_INFINITY;

        Steps(EmState state, ForkJoinPool pool, Options options, CalibrationMonitor monitor) {
            this.state = state;
            this.pool = pool;
            this.options = options;
            this.monitor = monitor;
        }

        /** One EM step from the state's parameters: E-step, then M-step in place. */
        void step() {
            monitor.checkCancelled();
            count++;
            EmState.Expectation expectation = state.expectation(pool);
            logLikelihood = expectation.logLikelihood();
            double change = state.maximization(expectation, pool);
            converged = change < options.tolerance();
            monitor.progress((double) count / options.maxIterations(), "EM iteration " + count
                    + ": log-likelihood " + String.format("%.4f", logLikelihood)
                    + ", largest parameter change " + String.format("%.2e", change));
        }

        /**
         * SQUAREM, scheme S3 (Varadhan and Roland, 2008): from theta_0 two EM steps give theta_1 = F(theta_0) and
         * theta_2 = F(theta_1); with r = theta_1 - theta_0, v = theta_2 - 2 theta_1 + theta_0 and
         * alpha = -|r| / |v| (at most -1, at least -stepMax), the extrapolated point is
         * theta' = theta_0 - 2 alpha r + alpha^2 v, followed by one EM step from it. The monotone safeguard: when the
         * marginal log-likelihood at theta' falls below the one at theta_1, theta' is dropped for theta_2 (which EM
         * guarantees) and stepMax shrinks; a step that used the whole stepMax grows it fourfold. Convergence is
         * tested as in plain EM, on the change of one EM step, so the fit stops where plain EM's would.
         */
        void squarem() {
            double stepMax = STEP_MAX_START;
            while (count < options.maxIterations() && !converged) {
                double[] start = state.parameters();
                step();
                if (converged || count >= options.maxIterations()) {
                    return;
                }
                double[] first = state.parameters();
                step();
                double firstLogLikelihood = logLikelihood;
                if (converged || count >= options.maxIterations()) {
                    return;
                }
                double[] second = state.parameters();
                double rr = 0;
                double vv = 0;
                for (int k = 0; k < start.length; k++) {
                    double r = first[k] - start[k];
                    double v = second[k] - 2 * first[k] + start[k];
                    rr += r * r;
                    vv += v * v;
                }
                if (vv == 0) {
                    continue;
                }
                double alpha = Math.max(-stepMax, Math.min(-1, -Math.sqrt(rr / vv)));
                if (alpha == -1) {
                    if (stepMax == 1) {
                        stepMax *= STEP_MAX_FACTOR;
                    }
                    continue; // theta' would be theta_2, where the state already is
                }
                double[] extrapolated = new double[start.length];
                for (int k = 0; k < start.length; k++) {
                    double r = first[k] - start[k];
                    double v = second[k] - 2 * first[k] + start[k];
                    extrapolated[k] = start[k] - 2 * alpha * r + alpha * alpha * v;
                }
                state.parameters(extrapolated);
                step(); // the stabilising EM step from theta'; logLikelihood is now that of theta'
                if (!(logLikelihood >= firstLogLikelihood) || !finite(state.parameters())) {
                    state.parameters(second);
                    converged = false;
                    stepMax = Math.max(STEP_MAX_START, stepMax / STEP_MAX_FACTOR);
                } else if (alpha == -stepMax) {
                    stepMax *= STEP_MAX_FACTOR;
                }
            }
        }

        private static boolean finite(double[] values) {
            for (double value : values) {
                if (!Double.isFinite(value)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The marginal log-likelihood of a matrix's rows under fixed items (for held-out models). */
    public static double marginalLogLikelihood(ResponseMatrix matrix, UnidimensionalItems items, int quadraturePoints) {
        if (matrix.items() != items.items()) {
            throw new IllegalArgumentException("the matrix has " + matrix.items() + " items, the calibration "
                    + items.items());
        }
        Options options = new Options(items.model(), quadraturePoints, 1e-4, 1, EmPriors.defaults(), 1, false);
        EmState state = EmState.of(matrix, options, items);
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            return state.expectation(pool).logLikelihood();
        } finally {
            pool.shutdown();
        }
    }

    static int[] chunkBounds(int n, int chunks) {
        int[] bounds = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            bounds[c] = (int) ((long) n * c / chunks);
        }
        return bounds;
    }

    static void parallel(ForkJoinPool pool, int tasks, java.util.function.IntConsumer task) {
        if (tasks == 1) {
            task.accept(0);
            return;
        }
        try {
            pool.submit(() -> IntStream.range(0, tasks).parallel().forEach(task)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CalibrationCancelledException();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
