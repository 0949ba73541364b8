package dev.itembank.psychometrics.irt;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * One calibration as a user asks for it: hold models out, binarise continuous scores or use them as fractional
 * targets, apply metabench's preprocessing, choose the number of dimensions, fit, and score the held-out models.
 * Deterministic for a seed.
 */
public final class Calibrator {

    /** The candidates of tinyBenchmarks' dimension choice. */
    public static final int[] DEFAULT_DIMENSION_CANDIDATES = {2, 5, 10, 15};

    private Calibrator() {
    }

    /** What continuous (non-0/1) scores become. */
    public enum ContinuousScores {
        /** tinyBenchmarks: 1 above a per-scenario threshold chosen on the training models, else 0. */
        BINARIZE,
        /** Kept as soft Bernoulli targets in the likelihood. */
        FRACTIONAL
    }

    /**
     * @param model {@code 1pl}, {@code 2pl}, {@code 3pl}, {@code 4pl} or {@code mirt}
     * @param dimensions D for {@code mirt}; null chooses it by tinyBenchmarks' rule among {@code candidates}
     * @param candidates the D tried when {@code dimensions} is null
     * @param metabenchPreprocessing whether to drop items and models as metabench does first
     * @param heldOutModels rows left out of the fit and scored afterwards
     * @param continuous what continuous scores become
     * @param scenarioOfItem each item's scenario index (for binarisation and the dimension choice)
     * @param seed seed of the start values
     * @param threads worker threads
     */
    public record Request(String model, Integer dimensions, int[] candidates, boolean metabenchPreprocessing,
            int[] heldOutModels, ContinuousScores continuous, int[] scenarioOfItem, long seed, int threads) {

        public Request {
            model = model.toLowerCase(Locale.ROOT);
            if (!model.equals("mirt")) {
                ItemModel.parse(model);
            }
            if (dimensions != null && (dimensions < 1 || dimensions > 15)) {
                throw new IllegalArgumentException("dimensions must be from 1 to 15, got " + dimensions);
            }
            candidates = candidates == null ? DEFAULT_DIMENSION_CANDIDATES : candidates;
            heldOutModels = heldOutModels == null ? new int[0] : heldOutModels;
            continuous = continuous == null ? ContinuousScores.BINARIZE : continuous;
        }

        public static Request of(String model) {
            return new Request(model, null, null, false, null, null, null, 0L,
                    Runtime.getRuntime().availableProcessors());
        }

        boolean multidimensional() {
            return model.equals("mirt");
        }
    }

    /**
     * @param calibration the fit, over {@code models} x {@code items} of the input
     * @param models the input rows the fit used
     * @param items the input columns the fit used (all unless preprocessing dropped some)
     * @param preprocessing what metabench's preprocessing dropped, or null
     * @param thresholds the binarisation threshold per scenario, or null
     * @param dimensionChoice the dimension choice, or null
     * @param heldOutLogLikelihood the held-out models' log-likelihood (marginal for EM fits, at their MAP abilities
     *        for joint fits), or null without held-out models
     */
    public record Report(Calibration calibration, int[] models, int[] items, ItemScreening.Result preprocessing,
            double[] thresholds, DimensionSelection.Result dimensionChoice, Double heldOutLogLikelihood) {
    }

    public static Report calibrate(ResponseMatrix input, Request request, CalibrationMonitor monitor) {
        int[] scenarioOfItem = request.scenarioOfItem() == null ? new int[input.items()] : request.scenarioOfItem();
        if (scenarioOfItem.length != input.items()) {
            throw new IllegalArgumentException("scenarioOfItem has " + scenarioOfItem.length + " entries for "
                    + input.items() + " items");
        }
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
        boolean[] heldOut = new boolean[input.models()];
        for (int l : request.heldOutModels()) {
            heldOut[l] = true;
        }
        int[] training = IntStream.range(0, input.models()).filter(l -> !heldOut[l]).toArray();
        ResponseMatrix matrix = input;
        double[] thresholds = null;
        if (!input.isBinary() && request.continuous() == ContinuousScores.BINARIZE) {
            thresholds = Binarization.thresholds(input.selectModels(training), scenarioOfItem, scenarios);
            matrix = Binarization.binarize(input, scenarioOfItem, thresholds);
        }
        int[] models = training;
        int[] items = IntStream.range(0, input.items()).toArray();
        ItemScreening.Result preprocessing = null;
        if (request.metabenchPreprocessing()) {
            preprocessing = ItemScreening.compute(matrix.selectModels(training));
            models = Arrays.stream(preprocessing.models()).map(k -> training[k]).toArray();
            items = preprocessing.items();
        }
        ResponseMatrix train = matrix.selectModels(models).selectItems(items);
        int[] keptScenarios = Arrays.stream(items).map(j -> scenarioOfItem[j]).toArray();
        DimensionSelection.Result choice = null;
        Calibration calibration;
        if (request.multidimensional()) {
            JointMapCalibrator.Options options = JointMapCalibrator.Options.defaults(1).withSeed(request.seed())
                    .withThreads(request.threads());
            int dimensions;
            if (request.dimensions() == null) {
                int[] candidates = Arrays.stream(request.candidates()).filter(d -> d >= 1 && d <= 15).toArray();
                choice = DimensionSelection.choose(train, keptScenarios, scenarios, candidates, options, monitor);
                dimensions = choice.dimensions();
            } else {
                dimensions = request.dimensions();
            }
            calibration = JointMapCalibrator.compute(train, new JointMapCalibrator.Options(dimensions,
                    options.slopeSd(), options.interceptSd(), options.tolerance(), options.maxIterations(),
                    options.threads(), request.seed()), monitor);
        } else {
            calibration = EmCalibrator.compute(train, EmCalibrator.Options.defaults(ItemModel.parse(request.model()))
                    .withThreads(request.threads()), monitor);
        }
        Double heldOutLogLikelihood = null;
        if (request.heldOutModels().length > 0) {
            ResponseMatrix held = matrix.selectModels(request.heldOutModels()).selectItems(items);
            heldOutLogLikelihood = heldOutLogLikelihood(held, calibration);
        }
        return new Report(calibration, models, items, preprocessing, thresholds, choice, heldOutLogLikelihood);
    }

    private static double heldOutLogLikelihood(ResponseMatrix held, Calibration calibration) {
        if (calibration.items() instanceof UnidimensionalItems items) {
            return EmCalibrator.marginalLogLikelihood(held, items, 61);
        }
        ItemBank items = calibration.items();
        int[] all = IntStream.range(0, held.items()).toArray();
        double[] row = new double[held.items()];
        double total = 0;
        for (int l = 0; l < held.models(); l++) {
            held.row(l, row);
            double[] theta = AbilityEstimator.estimate(items, all, row, AbilityMethod.MAP).theta();
            for (int j = 0; j < row.length; j++) {
                if (!Double.isNaN(row[j])) {
                    double p = AbilityEstimator.clampProbability(items.probability(j, theta));
                    total += row[j] * Math.log(p) + (1 - row[j]) * Math.log(1 - p);
                }
            }
        }
        return total;
    }
}
