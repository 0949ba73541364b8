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
     * @param tolerance stop when no item parameter moves more than this (mirt's TOL: 1e-4)
     * @param maxIterations iteration cap (mirt's NCYCLES: 500)
     * @param priors weak priors on the item parameters
     * @param threads worker threads for the E- and M-steps
     */
    public record Options(ItemModel model, int quadraturePoints, double tolerance, int maxIterations,
            EmPriors priors, int threads) {

        public Options {
            if (quadraturePoints < 5 || tolerance <= 0 || maxIterations < 1 || threads < 1) {
                throw new IllegalArgumentException("need quadraturePoints >= 5, tolerance > 0, maxIterations >= 1 "
                        + "and threads >= 1");
            }
        }

        public static Options defaults(ItemModel model) {
            return new Options(model, 61, 1e-4, 500, EmPriors.defaults(), Runtime.getRuntime().availableProcessors());
        }

        public Options withMaxIterations(int iterations) {
            return new Options(model, quadraturePoints, tolerance, iterations, priors, threads);
        }

        public Options withTolerance(double value) {
            return new Options(model, quadraturePoints, value, maxIterations, priors, threads);
        }

        public Options withThreads(int count) {
            return new Options(model, quadraturePoints, tolerance, maxIterations, priors, count);
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
            int iteration = 0;
            boolean converged = false;
            EmState.Expectation expectation = null;
            while (iteration < options.maxIterations() && !converged) {
                monitor.checkCancelled();
                iteration++;
                expectation = state.expectation(pool);
                double change = state.maximization(expectation, pool);
                converged = change < options.tolerance();
                monitor.progress((double) iteration / options.maxIterations(), "EM iteration " + iteration
                        + ": log-likelihood " + String.format("%.4f", expectation.logLikelihood())
                        + ", largest parameter change " + String.format("%.2e", change));
            }
            expectation = state.expectation(pool);
            UnidimensionalItems items = state.items();
            int parameters = items.freeParameters();
            double logLikelihood = expectation.logLikelihood();
            return new Calibration(items, expectation.abilityMeans(), expectation.abilitySds(), logLikelihood,
                    iteration, converged, parameters, Calibration.aic(logLikelihood, parameters),
                    Calibration.bic(logLikelihood, parameters, matrix.models()), System.currentTimeMillis() - start, 0L);
        } finally {
            pool.shutdown();
        }
    }

    /** The marginal log-likelihood of a matrix's rows under fixed items (for held-out models). */
    public static double marginalLogLikelihood(ResponseMatrix matrix, UnidimensionalItems items, int quadraturePoints) {
        if (matrix.items() != items.items()) {
            throw new IllegalArgumentException("the matrix has " + matrix.items() + " items, the calibration "
                    + items.items());
        }
        Options options = new Options(items.model(), quadraturePoints, 1e-4, 1, EmPriors.defaults(), 1);
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
