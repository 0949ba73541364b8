package dev.itembank.psychometrics.estimation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;
import dev.itembank.psychometrics.selection.Subset;

/**
 * The estimators of one subset ({@link ScoreEstimators#ALL}), fitted on the training models, with each one's
 * cross-validated residuals: they choose the estimator ({@code auto}: lowest mean absolute error per scenario) and
 * size its split-conformal interval. With a {@link Refit}, each fold refits the calibration and the selection on
 * its training models, so the residuals measure the whole procedure as a new model meets it.
 */
public final class EstimationModel {

    /**
     * How to redo, on a fold's training models, what the final model was given: its calibration and its subset.
     * With it, the cross-validated residuals measure the whole procedure, as a new model will meet it.
     */
    public interface Refit {
        ItemBank calibrate(ResponseMatrix training);

        Subset select(ResponseMatrix training, ItemBank items);

        /** This refit with {@code items} kept as every fold's calibration: only the selection is redone. */
        default Refit keepingCalibration(ItemBank items) {
            Refit whole = this;
            return new Refit() {
                @Override
                public ItemBank calibrate(ResponseMatrix training) {
                    return items;
                }

                @Override
                public Subset select(ResponseMatrix training, ItemBank foldItems) {
                    return whole.select(training, foldItems);
                }
            };
        }
    }

    /**
     * @param anchorFactor gp-IRT's c: 4 for anchor subsets, 1 for random ones ({@link GpirtLambda#factorFor})
     * @param folds cross-validation folds over the training models
     * @param seed seed of the fold assignment
     * @param refit how to refit calibration and selection per fold, or null to keep the given ones (then the
     *        residuals, the intervals they size and gp-IRT's b-hat are optimistic)
     */
    public record Options(double anchorFactor, int folds, long seed, Refit refit) {

        public Options {
            if (!(anchorFactor > 0) || folds < 2) {
                throw new IllegalArgumentException("need anchorFactor > 0 and folds >= 2");
            }
        }

        /** Defaults for a subset: c by the method that made it (the one {@code auto} chose), 5 folds. */
        public static Options forSubset(Subset subset) {
            return new Options(GpirtLambda.factorFor(subset.madeBy()), 5, 0L, null);
        }

        /**
         * For a subset made by a method asked for by name: with {@code nested}, calibration ({@code items} was fitted
         * on every training model) and selection redone per fold by {@code refit}; without, the selection alone when
         * the method chooses its items by their fit to the training models' scores
         * ({@link dev.itembank.psychometrics.selection.Selection.Method#selectsOnTheScores}: else its residuals are
         * read on the models that chose its items), and nothing redone for the others.
         */
        public static Options forSubset(Subset subset, Refit refit, ItemBank items, boolean nested) {
            Options options = forSubset(subset);
            if (nested) {
                return options.withRefit(refit);
            }
            boolean onTheScores = Arrays.stream(dev.itembank.psychometrics.selection.Selection.Method.values())
                    .anyMatch(method -> method.code().equals(subset.method()) && method.selectsOnTheScores());
            return onTheScores ? options.withRefit(refit.keepingCalibration(items)) : options;
        }

        public Options withRefit(Refit value) {
            return new Options(anchorFactor, folds, seed, value);
        }
    }

    private final Design design;
    private final Map<String, ScoreEstimator.Fitted> fitted;
    private final Map<String, double[][]> residuals;
    private final String[] chosen;
    private final Map<String, double[]> errors;
    /**
     * Per scenario, the training models' lowest and highest subset score (weighted reading) and lowest and highest
     * full score; or null.
     */
    private final double[][] range;
    /**
     * Per scenario, the reading for models beyond the training ones ({@link #FALLBACKS}) and its residuals on models
     * beyond the models it was fitted on, as a backtest beyond them chose it ({@link AutoSelection}); or null for
     * the default ({@link #DESIGN}, its interval from the cross-validated residuals and its sampling error).
     */
    private final String[] beyond;
    private final double[][] beyondResiduals;

    /**
     * The default reading beyond the training range, the design-based one ({@link Reading#design()}: AIPW, the IRT
     * prediction plus the weighted mean residual, or the plain weighted mean, whichever has the smaller sampling
     * error for this model), read on the subset's random part where it has one (auto's candidates), else on the
     * whole subset. On a random subset or part it is unbiased; on a searched subset without one (anchors, genetic
     * asked for by name) it is what the subset's weights make of the answers, which keeps the IRT model's errors for
     * a model beyond the training ones from carrying over whole, as a regression's do.
     */
    public static final String DESIGN = "design";

    /** The plain weighted mean of the subset's answers (tinyBenchmarks' "irt" key), as a fallback reading. */
    public static final String WEIGHTED = "weighted";

    /**
     * The readings a model beyond the training models may be read by: the design-based ones, unbiased on a random
     * sample whatever the calibration makes of the model (the plain weighted mean and {@link #DESIGN}). No regression,
     * and no IRT-based reading either: p-IRT and gp-IRT read the strong models with items calibrated on weaker ones,
     * and where a backtest on the few strongest training models chose one, the models further out were missed
     * (openllm-ifeval, extrapolation split at 50 items: gp-IRT 0.086 against the plain mean's 0.056). (States of earlier
     * releases may name AIPW, p-IRT or gp-IRT; they are still read.)
     */
    public static final List<String> FALLBACKS = List.of(WEIGHTED, DESIGN);

    private EstimationModel(Design design, Map<String, ScoreEstimator.Fitted> fitted,
            Map<String, double[][]> residuals, String[] chosen, Map<String, double[]> errors, double[][] range,
            String[] beyond, double[][] beyondResiduals) {
        this.design = design;
        this.fitted = fitted;
        this.residuals = residuals;
        this.chosen = chosen;
        this.errors = errors;
        this.range = range;
        this.beyond = beyond;
        this.beyondResiduals = beyondResiduals;
    }

    /**
     * This model with the reading of models beyond the training ones chosen per scenario (codes of
     * {@link #FALLBACKS}, null entries for the default) and that reading's residuals on models beyond the ones it
     * was fitted on (they floor its interval there).
     */
    public EstimationModel withFallback(String[] codes, double[][] codeResiduals) {
        for (String code : codes) {
            if (code != null && !FALLBACKS.contains(code)) {
                throw new IllegalArgumentException("not a fallback reading: " + code);
            }
        }
        return new EstimationModel(design, fitted, residuals, chosen, errors, range, codes.clone(),
                codeResiduals.clone());
    }

    /**
     * @param training training models x all items
     * @param items the calibration over all items, or null (then only the estimators that need none)
     * @param targets per scenario and training model, the full score to learn (for example reported scores when
     *        the stored items are only part of the benchmark); null, or NaN entries, for the balance-weighted mean
     */
    public static EstimationModel fit(ResponseMatrix training, int[] scenarioOfItem, double[] balance, ItemBank items,
            Subset subset, double[][] targets, Options options) {
        Design design = new Design(items, scenarioOfItem, balance, subset);
        int scenarios = design.scenarios();
        int models = training.models();
        double[][] truth = truth(training, scenarioOfItem, balance, scenarios, targets);
        Reading[] readings = read(training, design);
        GpirtLambda.Inputs gpirt = items == null ? null : new GpirtLambda.Inputs(
                GpirtLambda.validationBias(training, scenarioOfItem, scenarios,
                        options.refit() == null ? fold -> items : options.refit()::calibrate),
                GpirtLambda.itemVariance(training, scenarioOfItem, scenarios), options.anchorFactor());
        List<ScoreEstimator> available = ScoreEstimators.ALL.stream().filter(e -> items != null || !e.needsItems())
                .filter(e -> e.appliesTo(design)).toList();
        Map<String, double[][]> residuals = new LinkedHashMap<>();
        for (ScoreEstimator e : available) {
            residuals.put(e.code(), new double[scenarios][models]);
        }
        int[] fold = Simulation.folds(models, options.folds(), new SplittableRandom(options.seed()));
        for (int f = 0; f < options.folds(); f++) {
            int current = f;
            int[] fitRows = IntStream.range(0, models).filter(l -> fold[l] != current).toArray();
            Design foldDesign = design;
            Reading[] foldReadings = readings;
            if (options.refit() != null) {
                ResponseMatrix foldTraining = training.selectModels(fitRows);
                ItemBank foldItems = items == null ? null : options.refit().calibrate(foldTraining);
                foldDesign = design.with(foldItems, options.refit().select(foldTraining, foldItems));
                foldReadings = read(training, foldDesign);
            }
            ScoreEstimator.Training foldFit = new ScoreEstimator.Training(foldDesign, pick(foldReadings, fitRows),
                    pick(truth, fitRows), gpirt);
            for (ScoreEstimator e : available) {
                ScoreEstimator.Fitted model = e.fit(foldFit);
                double[][] r = residuals.get(e.code());
                for (int l = 0; l < models; l++) {
                    if (fold[l] == f) {
                        for (int s = 0; s < scenarios; s++) {
                            r[s][l] = model.predict(foldReadings[l], s) - truth[s][l];
                        }
                    }
                }
            }
        }
        double[][] stackWeights = stack(residuals, truth, fold, options.folds());
        List<String> codes = new ArrayList<>(available.stream().map(ScoreEstimator::code).toList());
        codes.add(Stacking.CODE);
        Map<String, double[]> errors = new LinkedHashMap<>();
        String[] chosen = new String[scenarios];
        for (int s = 0; s < scenarios; s++) {
            for (String code : codes) {
                double mae = Arrays.stream(residuals.get(code)[s]).map(Math::abs).filter(Double::isFinite)
                        .average().orElse(Double.POSITIVE_INFINITY);
                errors.computeIfAbsent(code, k -> new double[scenarios])[s] = mae;
                if (chosen[s] == null || mae < errors.get(chosen[s])[s]) {
                    chosen[s] = code;
                }
            }
        }
        ScoreEstimator.Training all = new ScoreEstimator.Training(design, readings, truth, gpirt);
        Map<String, ScoreEstimator.Fitted> fitted = new LinkedHashMap<>();
        for (ScoreEstimator e : available) {
            fitted.put(e.code(), e.fit(all));
        }
        fitted.put(Stacking.CODE, stacked(fitted, available.stream().map(ScoreEstimator::code).toList(),
                stackWeights));
        // the fallback reads the stored items' score; where the targets are other scores (reported on a larger
        // benchmark), it would estimate the wrong thing, so there is no fallback
        boolean ownScores = targets == null || Arrays.stream(targets).flatMapToDouble(Arrays::stream)
                .allMatch(Double::isNaN);
        double[][] range = ownScores ? new double[scenarios][] : null;
        for (int s = 0; s < scenarios && ownScores; s++) {
            int scenario = s;
            double[] scores = Arrays.stream(readings).mapToDouble(r -> r.weighted()[scenario])
                    .filter(Double::isFinite).toArray();
            double[] truths = Arrays.stream(truth[s]).filter(Double::isFinite).toArray();
            range[s] = scores.length == 0 || truths.length == 0 ? null : new double[] {
                Arrays.stream(scores).min().orElseThrow(), Arrays.stream(scores).max().orElseThrow(),
                Arrays.stream(truths).min().orElseThrow(), Arrays.stream(truths).max().orElseThrow()};
        }
        return new EstimationModel(design, fitted, residuals, chosen, errors, range, null, null);
    }

    /**
     * Per scenario, the stacking weights over the estimators (in registry order) fitted on all out-of-fold
     * predictions; and, into {@code residuals} under {@link Stacking#CODE}, the stack's own cross-validated residuals,
     * each fold's models read with weights fitted on the other folds.
     */
    private static double[][] stack(Map<String, double[][]> residuals, double[][] truth, int[] fold, int folds) {
        int scenarios = truth.length;
        int models = fold.length;
        List<double[][]> members = new ArrayList<>(residuals.values());
        double[][] weights = new double[scenarios][];
        double[][] stackResiduals = new double[scenarios][models];
        for (int s = 0; s < scenarios; s++) {
            double[][] predictions = new double[members.size()][models];
            for (int e = 0; e < members.size(); e++) {
                for (int l = 0; l < models; l++) {
                    predictions[e][l] = members.get(e)[s][l] + truth[s][l];
                }
            }
            for (int f = 0; f < folds; f++) {
                boolean[] use = new boolean[models];
                for (int l = 0; l < models; l++) {
                    use[l] = fold[l] != f;
                }
                double[] w = Stacking.weights(predictions, truth[s], use);
                for (int l = 0; l < models; l++) {
                    if (fold[l] == f) {
                        double value = 0;
                        for (int e = 0; e < w.length; e++) {
                            value += w[e] * predictions[e][l];
                        }
                        stackResiduals[s][l] = value - truth[s][l];
                    }
                }
            }
            boolean[] all = new boolean[models];
            Arrays.fill(all, true);
            weights[s] = Stacking.weights(predictions, truth[s], all);
        }
        residuals.put(Stacking.CODE, stackResiduals);
        return weights;
    }

    /** The stack as a fitted estimator over the others; its state is each member's weight per scenario. */
    private static ScoreEstimator.Fitted stacked(Map<String, ScoreEstimator.Fitted> members, List<String> codes,
            double[][] weights) {
        return new ScoreEstimator.Fitted() {
            @Override
            public double predict(Reading reading, int scenario) {
                double value = 0;
                for (int e = 0; e < codes.size(); e++) {
                    double w = weights[scenario][e];
                    value += w == 0 ? 0 : w * members.get(codes.get(e)).predict(reading, scenario);
                }
                return value;
            }

            @Override
            public EstimatorState state() {
                Map<String, double[]> values = new LinkedHashMap<>();
                for (int e = 0; e < codes.size(); e++) {
                    int member = e;
                    values.put("w." + codes.get(e), Arrays.stream(weights).mapToDouble(w -> w[member]).toArray());
                }
                return new EstimatorState(values);
            }
        };
    }

    /** Estimates from a model's answers to the subset's items (in subset order; NaN for unanswered). */
    public ScoreEstimate estimate(double[] answers, double level) {
        return estimate(read(answers), level);
    }

    /**
     * The estimate and, per fallback reading it may be read by ({@link #fallbackCandidates}, those this model can
     * compute), its value in each
     * scenario, from one reading of the answers: what a backtest beyond the training models compares.
     */
    record WithFallbacks(ScoreEstimate estimate, Map<String, double[]> fallbacks, double beyond) {

        /**
         * What the estimate of scenario s would be with fallback reading {@code value}: weighed against the chosen
         * estimator by the probability of lying beyond the training models, as {@link #estimate} weighs.
         */
        double with(double value, int s, String chosen) {
            ScoreEstimate.Part part = estimate.scenarios().get(s);
            if (!part.extrapolated()) {
                return part.estimate();
            }
            double inside = clamp(part.estimators().get(chosen));
            return clamp(beyond * value + (1 - beyond) * inside);
        }
    }

    WithFallbacks estimateWithFallbacks(double[] answers, double level) {
        Reading reading = read(answers);
        Map<String, double[]> readings = new LinkedHashMap<>();
        for (String code : fallbackCandidates()) {
            double[] values = new double[chosen.length];
            for (int s = 0; s < values.length; s++) {
                values[s] = clamp(fallbackValue(reading, s, code));
            }
            if (Arrays.stream(values).allMatch(Double::isFinite)) {
                readings.put(code, values);
            }
        }
        Served served = serve(reading, level);
        return new WithFallbacks(served.estimate(), readings, served.beyond());
    }

    private Reading read(double[] answers) {
        if (answers.length != design.subset().items().length) {
            throw new IllegalArgumentException("expected " + design.subset().items().length + " answers, got "
                    + answers.length);
        }
        return Reading.of(design, answers);
    }

    private ScoreEstimate estimate(Reading reading, double level) {
        return serve(reading, level).estimate();
    }

    /** An estimate and the probability that the model lies beyond the training models it was read with. */
    private record Served(ScoreEstimate estimate, double beyond) {
    }

    private Served serve(Reading reading, double level) {
        double[] answers = reading.answers();
        int scenarios = chosen.length;
        double[] widening = widening(answers);
        List<ScoreEstimate.Part> parts = new ArrayList<>();
        double overall = 0;
        double overallInside = 0;
        Map<String, Double> overallValues = new LinkedHashMap<>();
        double[] overallResiduals = null;
        List<Map<String, Double>> scenarioValues = new ArrayList<>();
        double beyond = 0;
        for (int s = 0; s < scenarios; s++) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (Map.Entry<String, ScoreEstimator.Fitted> e : fitted.entrySet()) {
                double v = e.getValue().predict(reading, s);
                values.put(e.getKey(), v);
                overallValues.merge(e.getKey(), v / scenarios, Double::sum);
            }
            scenarioValues.add(values);
            beyond = Math.max(beyond, beyondProbability(reading, s, values));
        }
        // a model beyond the training models in one scenario is a model they do not describe: all its scenarios
        // lean on the fallback (in a scenario where it happens to sit inside their range, the residuals of models
        // like the training ones still understate its error)
        boolean anyExtrapolated = beyond >= 0.5;
        double extraVariance = 0;
        for (int s = 0; s < scenarios; s++) {
            Map<String, Double> values = scenarioValues.get(s);
            boolean extrapolated = anyExtrapolated;
            String used = extrapolated ? fallbackIn(s) : chosen[s];
            double fallback = beyond > 0 ? fallbackValue(reading, s, fallbackIn(s)) : Double.NaN;
            if (Double.isFinite(fallback)) {
                values.putIfAbsent(fallbackIn(s), fallback);
            }
            // the chosen estimator and the fallback, weighed by the probability that the model lies beyond
            double inside = clamp(values.get(chosen[s]));
            double estimate = Double.isFinite(fallback) ? clamp(beyond * fallback + (1 - beyond) * inside) : inside;
            // the conformal part of the interval: the fallback's residuals where it was fitted (random subsets),
            // else the chosen estimator's
            double[] r = residuals.getOrDefault(used, residuals.get(chosen[s]))[s];
            overallResiduals = overallResiduals == null ? new double[r.length] : overallResiduals;
            for (int l = 0; l < r.length; l++) {
                overallResiduals[l] += r[l] / scenarios;
            }
            ConformalInterval.Interval interval = widen(ConformalInterval.of(estimate, r, level, true), estimate,
                    widening[s]);
            if (!extrapolated && estimate != inside) {
                // leaning toward the fallback a little: the interval still holds the chosen estimator's
                interval = hull(interval, widen(ConformalInterval.of(inside, r, level, true), inside, widening[s]),
                        estimate);
            }
            // beyond the training models their residuals do not describe the error: the fallback's own sampling
            // interval is a floor (exact on a random subset; on a searched one, the residual's spread over the
            // subset's items, weighted as they represent the scenario)
            if (extrapolated) {
                double sampling = z(level) * samplingError(reading, s, fallbackIn(s));
                // the chosen fallback's own error beyond the models it was fitted on, where a backtest measured it
                double far = beyondResiduals == null || beyondResiduals[s] == null ? 0
                        : beyondHalfWidth(beyondResiduals[s], level);
                double floor = Math.max(sampling, far);
                extraVariance += floor * floor / (scenarios * scenarios);
                interval = atLeast(interval, estimate, floor);
            }
            parts.add(new ScoreEstimate.Part(estimate, interval.lower(), interval.upper(), level, used, values,
                    extrapolated));
            overall += estimate / scenarios;
            overallInside += inside / scenarios;
        }
        ConformalInterval.Interval interval = widen(ConformalInterval.of(overall, overallResiduals, level, true),
                overall, widening[scenarios]);
        if (!anyExtrapolated && overall != overallInside) {
            interval = hull(interval, widen(ConformalInterval.of(overallInside, overallResiduals, level, true),
                    overallInside, widening[scenarios]), overall);
        }
        if (anyExtrapolated) {
            interval = atLeast(interval, overall, Math.sqrt(extraVariance));
        }
        ScoreEstimate.Part total = new ScoreEstimate.Part(overall, interval.lower(), interval.upper(), level, "auto",
                overallValues, anyExtrapolated);
        return new Served(new ScoreEstimate(parts, total), beyond);
    }

    /**
     * The probability that the model lies beyond the training models in scenario s, read from the fallback (which is
     * unbiased on random subsets): with d how far it lies outside their full scores [low, high] (negative inside)
     * and se its sampling standard error, Phi(d / se - m), m = 0 on random subsets; 1 where the chosen estimate
     * itself lies outside. (Its subset score outside theirs is not asked: a subset score is noisy enough to leave
     * the range for models well inside it.) Beyond the range every fitted reading extrapolates (regressions most
     * of all), the cross-validated residuals no longer describe the error, and only a reading that is unbiased by
     * design can be trusted; near its edge the fallback's own noise decides which side it falls on, so the
     * estimate weighs the two readings by this probability rather than switching (a switch at d = 0 takes the
     * fallback exactly where its noise carried it out of the range, and with it that noise).
     */
    private double beyondProbability(Reading reading, int s, Map<String, Double> values) {
        if (range == null || range[s] == null) {
            return 0;
        }
        double[] r = range[s];
        if (outside(values.get(chosen[s]), r[2], r[3])) {
            return 1;
        }
        // the evidence: AIPW and its sampling error where there is a calibration (the reading this test was designed
        // and measured with: the design-based reading's per-model choice of the smaller error would flag more models
        // inside the range by the noise of that choice), else the plain weighted mean of the random part
        boolean aipw = Double.isFinite(reading.aipw()[s]);
        double evidence = aipw ? reading.aipw()[s] : reading.design()[s];
        double error = aipw ? reading.aipwError()[s] : reading.designError(s);
        if (!Double.isFinite(evidence)) {
            return 0;
        }
        // on a searched subset the evidence is not unbiased, or (with a random part) unbiased but read on a few items
        // only, and its noise alone would carry models inside the range out of it: there it must lie beyond the
        // training models by more than its own 90% sampling half-width
        double margin = design.randomSample() ? 0 : Z90;
        double distance = Math.max(evidence - r[3], r[2] - evidence);
        if (error <= 0) {
            return distance > 0 ? 1 : 0;
        }
        double probability = NORMAL.cumulativeProbability(distance / error - margin);
        return probability < NEGLIGIBLE ? 0 : probability;
    }

    /** A probability of lying beyond the training models below this is read as none (well inside the range). */
    private static final double NEGLIGIBLE = 0.01;

    /**
     * The readings a backtest beyond the training models may choose among for this design: on a subset with a random
     * part, only the one that part is for (the design-based reading, unbiased there; the free choice took p-IRT once on
     * alpacaeval2's few strong models, which then missed the models further out by 0.22); on a stratified sample only
     * its plain weighted mean (the strata already take out what AIPW's prediction would, and AIPW adds the errors of
     * items calibrated on weaker models: on glue-mrpc's extrapolation split at 50 items the design-based reading, mostly
     * AIPW there, missed the strong models by 0.035-0.047 where the weighted mean missed by 0.025-0.031); else every one
     * of {@link #FALLBACKS}.
     */
    private List<String> fallbackCandidates() {
        return design.randomPart() != null ? List.of(DESIGN) : design.stratified() ? List.of(WEIGHTED) : FALLBACKS;
    }

    /** Reading {@code code} (one of {@link #FALLBACKS}) of scenario s; NaN where it needs a calibration lacking. */
    private double fallbackValue(Reading reading, int s, String code) {
        if (code.equals(DESIGN)) {
            return reading.design()[s];
        }
        if (code.equals(AipwEstimator.CODE)) {
            return design.items() == null ? Double.NaN : reading.aipw()[s];
        }
        if (code.equals(WEIGHTED)) {
            return reading.weighted()[s];
        }
        ScoreEstimator.Fitted estimator = fitted.get(code);
        return estimator == null ? Double.NaN : estimator.predict(reading, s);
    }

    /**
     * The sampling error of fallback reading {@code code} in scenario s, its interval's floor: the plain weighted
     * mean's own for it (the design-based reading's may be AIPW's, smaller: a floor too low for the plain mean), AIPW's
     * for AIPW (older states), else the design-based reading's.
     */
    private static double samplingError(Reading reading, int s, String code) {
        return code.equals(WEIGHTED) ? reading.htError()[s]
                : code.equals(AipwEstimator.CODE) ? reading.aipwError()[s] : reading.designError(s);
    }

    /**
     * The reading beyond the training models in scenario s: the one a backtest chose, else the default
     * ({@link #DESIGN}; on a stratified sample {@link #WEIGHTED}, {@link #fallbackCandidates}).
     */
    private String fallbackIn(int s) {
        return beyond != null && beyond[s] != null ? beyond[s] : design.stratified() ? WEIGHTED : DESIGN;
    }

    /** A conformal half-width from few residuals: beyond the ranks they can give, their largest. */
    private static double beyondHalfWidth(double[] residuals, double level) {
        double halfWidth = ConformalInterval.halfWidth(residuals, level);
        return Double.isFinite(halfWidth) ? halfWidth
                : Arrays.stream(residuals).filter(Double::isFinite).map(Math::abs).max().orElse(0);
    }

    private static boolean outside(double value, double low, double high) {
        return Double.isFinite(value) && (value > high || value < low);
    }


    /** The standard normal quantile of a central interval. */
    private static double z(double level) {
        return NORMAL.inverseCumulativeProbability(0.5 + level / 2);
    }

    private static final org.hipparchus.distribution.continuous.NormalDistribution NORMAL =
            new org.hipparchus.distribution.continuous.NormalDistribution(0, 1);
    private static final double Z90 = z(0.9);

    private static ConformalInterval.Interval atLeast(ConformalInterval.Interval interval, double estimate,
            double halfWidth) {
        if (interval.halfWidth() >= halfWidth) {
            return interval;
        }
        return new ConformalInterval.Interval(Math.max(0, estimate - halfWidth), Math.min(1, estimate + halfWidth),
                interval.level(), halfWidth);
    }

    /** The smallest interval holding both, with the half-width that reaches both ends from the estimate. */
    private static ConformalInterval.Interval hull(ConformalInterval.Interval a, ConformalInterval.Interval b,
            double estimate) {
        double lower = Math.min(a.lower(), b.lower());
        double upper = Math.max(a.upper(), b.upper());
        return new ConformalInterval.Interval(lower, upper, a.level(),
                Math.max(estimate - lower, upper - estimate));
    }

    /**
     * How much wider each scenario's interval gets (last: overall) when subset items went unanswered: the residuals
     * were measured with every item answered, and the sampling error of a mean of m answers instead of n grows as
     * sqrt(n / m).
     */
    private double[] widening(double[] answers) {
        int scenarios = chosen.length;
        int[] size = new int[scenarios + 1];
        int[] answered = new int[scenarios + 1];
        for (int k = 0; k < answers.length; k++) {
            int s = design.scenarioOfItem()[design.subset().items()[k]];
            size[s]++;
            size[scenarios]++;
            if (!Double.isNaN(answers[k])) {
                answered[s]++;
                answered[scenarios]++;
            }
        }
        double[] factor = new double[scenarios + 1];
        for (int s = 0; s <= scenarios; s++) {
            // sd of a mean of m answers / sd of a mean of n answers = sqrt(n / m)
            factor[s] = answered[s] == 0 ? Double.POSITIVE_INFINITY : Math.sqrt((double) size[s] / answered[s]);
        }
        return factor;
    }

    private static ConformalInterval.Interval widen(ConformalInterval.Interval interval, double estimate,
            double factor) {
        if (factor == 1) {
            return interval;
        }
        double halfWidth = interval.halfWidth() * factor;
        return new ConformalInterval.Interval(Math.max(0, estimate - halfWidth), Math.min(1, estimate + halfWidth),
                interval.level(), halfWidth);
    }

    /**
     * What a fitted model keeps, to be stored and restored without refitting: each estimator's own state by its
     * code, each estimator's cross-validated residuals and errors, the estimator chosen per scenario, and per
     * scenario the training models' lowest and highest subset score and full score (beyond them estimates fall back
     * to the design-based reading, AIPW in releases before it; null in states of releases before that), and per
     * scenario the fallback reading a backtest beyond the training models chose with its residuals there
     * ({@code auto}; null otherwise and in older states).
     * {@code lambdas}, {@code regressions} and {@code proxies} are the fields of states that releases before the
     * estimator registry stored; they are read (and converted), never written.
     */
    public record State(Map<String, EstimatorState> estimators, Map<String, double[][]> residuals,
            List<String> chosen, Map<String, double[]> errors, double[] lambdas, List<Regression> regressions,
            double[][] proxies, double[][] range, List<String> beyond, double[][] beyondResiduals) {

        /** One scenario's additive regression, as older states stored it. */
        public record Regression(double[] centre, double[] scale, double[] beta) {
        }

        /** The estimators' states, converted from the older fields when the state has only those. */
        Map<String, EstimatorState> estimatorStates() {
            if (estimators != null) {
                return estimators;
            }
            Map<String, EstimatorState> converted = new LinkedHashMap<>();
            for (String code : residuals.keySet()) {
                converted.put(code, switch (code) {
                    case "gpirt" -> EstimatorState.of("lambda", lambdas);
                    case "regression" -> {
                        Map<String, double[]> values = new LinkedHashMap<>();
                        for (int s = 0; s < regressions.size(); s++) {
                            values.put("centre." + s, regressions.get(s).centre());
                            values.put("scale." + s, regressions.get(s).scale());
                            values.put("beta." + s, regressions.get(s).beta());
                        }
                        yield new EstimatorState(values);
                    }
                    case "genetic-proxy" -> EstimatorState.of("intercept", Arrays.stream(proxies)
                            .mapToDouble(line -> line[0]).toArray(), "slope", Arrays.stream(proxies)
                            .mapToDouble(line -> line[1]).toArray());
                    default -> EstimatorState.of();
                });
            }
            return converted;
        }
    }

    public State state() {
        Map<String, EstimatorState> states = new LinkedHashMap<>();
        fitted.forEach((code, model) -> states.put(code, model.state()));
        return new State(states, residuals, chosen(), errors(), null, null, null, range,
                beyond == null ? null : java.util.Arrays.asList(beyond.clone()), beyondResiduals);
    }

    /** A fitted model from its {@link #state()} (or an older release's) and the inputs it was fitted with. */
    public static EstimationModel restore(State state, ItemBank items, int[] scenarioOfItem, double[] balance,
            Subset subset) {
        Design design = new Design(items, scenarioOfItem, balance, subset);
        if (state.chosen().size() != design.scenarios()) {
            throw new IllegalArgumentException("the state has " + state.chosen().size() + " scenarios, the items "
                    + design.scenarios());
        }
        Map<String, ScoreEstimator.Fitted> fitted = new LinkedHashMap<>();
        state.estimatorStates().forEach((code, estimator) -> {
            if (!code.equals(Stacking.CODE)) {
                fitted.put(code, ScoreEstimators.byCode(code).restore(estimator));
            }
        });
        EstimatorState stack = state.estimatorStates().get(Stacking.CODE);
        if (stack != null) {
            // members in registry order, as when fitted (so sums run in the same order)
            List<String> codes = fitted.keySet().stream().filter(code -> stack.values().containsKey("w." + code))
                    .toList();
            double[][] weights = new double[design.scenarios()][codes.size()];
            for (int e = 0; e < codes.size(); e++) {
                double[] w = stack.get("w." + codes.get(e));
                for (int s = 0; s < weights.length; s++) {
                    weights[s][e] = w[s];
                }
            }
            fitted.put(Stacking.CODE, stacked(fitted, codes, weights));
        }
        return new EstimationModel(design, fitted, new LinkedHashMap<>(state.residuals()),
                state.chosen().toArray(String[]::new), new LinkedHashMap<>(state.errors()), state.range(),
                state.beyond() == null ? null : state.beyond().toArray(String[]::new), state.beyondResiduals());
    }

    /** Each estimator's cross-validated mean absolute error per scenario. */
    public Map<String, double[]> errors() {
        Map<String, double[]> copy = new LinkedHashMap<>();
        errors.forEach((code, v) -> copy.put(code, v.clone()));
        return copy;
    }

    /** gp-IRT's lambda per scenario (empty without a calibration). */
    public double[] lambdas() {
        ScoreEstimator.Fitted gpirt = fitted.get("gpirt");
        return gpirt == null ? new double[0] : gpirt.state().get("lambda");
    }

    /** The estimator chosen per scenario. */
    public List<String> chosen() {
        return List.of(chosen);
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }

    private static Reading[] read(ResponseMatrix training, Design design) {
        Reading[] readings = new Reading[training.models()];
        double[] row = new double[training.items()];
        for (int l = 0; l < training.models(); l++) {
            training.row(l, row);
            readings[l] = Reading.of(design, answersOf(design.subset(), row));
        }
        return readings;
    }

    static double[][] truth(ResponseMatrix training, int[] scenarioOfItem, double[] balance, int scenarios,
            double[][] targets) {
        double[][] truth = ScenarioScores.table(training, balance, scenarioOfItem, scenarios);
        for (int s = 0; s < scenarios && targets != null; s++) {
            for (int l = 0; l < training.models(); l++) {
                if (!Double.isNaN(targets[s][l])) {
                    truth[s][l] = targets[s][l];
                }
            }
        }
        return truth;
    }

    private static Reading[] pick(Reading[] readings, int[] rows) {
        return Arrays.stream(rows).mapToObj(l -> readings[l]).toArray(Reading[]::new);
    }

    private static double[][] pick(double[][] truth, int[] rows) {
        double[][] picked = new double[truth.length][];
        for (int s = 0; s < truth.length; s++) {
            int scenario = s;
            picked[s] = Arrays.stream(rows).mapToDouble(l -> truth[scenario][l]).toArray();
        }
        return picked;
    }

    static double[] answersOf(Subset subset, double[] row) {
        return Arrays.stream(subset.items()).mapToDouble(j -> row[j]).toArray();
    }
}
