package dev.itembank.psychometrics.estimation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.irt.AbilityEstimator;
import dev.itembank.psychometrics.irt.AbilityMethod;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;
import dev.itembank.psychometrics.selection.Subset;

/**
 * The estimators of one subset, fitted on the training models: gp-IRT's lambda, the regression and proxy fits,
 * and each estimator's cross-validated residuals, which choose the estimator ({@code auto}: lowest mean absolute
 * error per scenario) and size its conformal interval. The calibration is taken as given (fitted on the same
 * training models); only what the estimators fit is cross-validated.
 */
public final class EstimationModel {

    /**
     * How to redo, on a fold's training models, what the final model was given: its calibration and its subset.
     * With it, the cross-validated residuals measure the whole procedure, as a new model will meet it.
     */
    public interface Refit {
        ItemBank calibrate(ResponseMatrix training);

        Subset select(ResponseMatrix training, ItemBank items);
    }

    /**
     * @param anchorFactor gp-IRT's c: 4 for anchor subsets, 1 for random ones
     * @param folds cross-validation folds over the training models
     * @param seed seed of the fold assignment
     * @param refit how to refit calibration and selection per fold, or null to keep the given ones (then the
     *        residuals, and the intervals they size, are optimistic)
     */
    public record Options(double anchorFactor, int folds, long seed, Refit refit) {

        public Options {
            if (!(anchorFactor > 0) || folds < 2) {
                throw new IllegalArgumentException("need anchorFactor > 0 and folds >= 2");
            }
        }

        public static Options forSubset(Subset subset) {
            return new Options(subset.method().equals("random") ? GpirtLambda.RANDOM : GpirtLambda.ANCHORS, 5, 0L,
                    null);
        }

        public Options withRefit(Refit value) {
            return new Options(anchorFactor, folds, seed, value);
        }
    }

    private final ItemBank items;
    private final int[] scenarioOfItem;
    private final double[] balance;
    private final Subset subset;
    private final int scenarios;
    private final double[] lambdas;
    private final AdditiveRegression[] regressions;
    private final double[][] proxies;
    private final Map<Estimator, double[][]> residuals;
    private final Estimator[] chosen;
    private final Map<Estimator, double[]> errors;

    private EstimationModel(ItemBank items, int[] scenarioOfItem, double[] balance, Subset subset, int scenarios,
            double[] lambdas, AdditiveRegression[] regressions, double[][] proxies,
            Map<Estimator, double[][]> residuals, Estimator[] chosen, Map<Estimator, double[]> errors) {
        this.items = items;
        this.scenarioOfItem = scenarioOfItem;
        this.balance = balance;
        this.subset = subset;
        this.scenarios = scenarios;
        this.lambdas = lambdas;
        this.regressions = regressions;
        this.proxies = proxies;
        this.residuals = residuals;
        this.chosen = chosen;
        this.errors = errors;
    }

    /**
     * @param training training models x all items
     * @param items the calibration over all items, or null (then only subset-mean, weighted and genetic-proxy)
     * @param targets per scenario and training model, the full score to learn (for example reported scores when
     *        the stored items are only part of the benchmark); null, or NaN entries, for the balance-weighted mean
     */
    public static EstimationModel fit(ResponseMatrix training, int[] scenarioOfItem, double[] balance, ItemBank items,
            Subset subset, double[][] targets, Options options) {
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
        int models = training.models();
        double[][] truth = truth(training, scenarioOfItem, balance, scenarios, targets);
        Raw[] raw = new Raw[models];
        double[] row = new double[training.items()];
        for (int l = 0; l < models; l++) {
            training.row(l, row);
            raw[l] = Raw.of(items, scenarioOfItem, balance, subset, scenarios, answersOf(subset, row));
        }
        double[] lambdas = lambdas(items, training, scenarioOfItem, subset, scenarios, raw, truth, options);
        List<Estimator> available = Arrays.stream(Estimator.values())
                .filter(e -> items != null || !e.needsItems()).toList();
        Map<Estimator, double[][]> residuals = new EnumMap<>(Estimator.class);
        for (Estimator e : available) {
            residuals.put(e, new double[scenarios][models]);
        }
        int[] fold = folds(models, options);
        for (int f = 0; f < options.folds(); f++) {
            int current = f;
            int[] fitRows = IntStream.range(0, models).filter(l -> fold[l] != current).toArray();
            ItemBank foldItems = items;
            Subset foldSubset = subset;
            Raw[] foldRaw = raw;
            double[] foldLambdas = lambdas;
            if (options.refit() != null) {
                ResponseMatrix foldTraining = training.selectModels(fitRows);
                foldItems = items == null ? null : options.refit().calibrate(foldTraining);
                foldSubset = options.refit().select(foldTraining, foldItems);
                foldRaw = new Raw[models];
                for (int l = 0; l < models; l++) {
                    training.row(l, row);
                    foldRaw[l] = Raw.of(foldItems, scenarioOfItem, balance, foldSubset, scenarios,
                            answersOf(foldSubset, row));
                }
                foldLambdas = lambdas(foldItems, foldTraining, scenarioOfItem, foldSubset, scenarios,
                        pick(foldRaw, fitRows), pick(truth, fitRows), options);
            }
            AdditiveRegression[] regressions = items == null ? null : regressions(foldRaw, truth, fitRows, scenarios);
            double[][] proxies = proxies(foldRaw, truth, fitRows, scenarios);
            for (int l = 0; l < models; l++) {
                if (fold[l] != f) {
                    continue;
                }
                for (Estimator e : available) {
                    for (int s = 0; s < scenarios; s++) {
                        residuals.get(e)[s][l] = value(e, foldRaw[l], s, foldLambdas, regressions, proxies)
                                - truth[s][l];
                    }
                }
            }
        }
        Map<Estimator, double[]> errors = new EnumMap<>(Estimator.class);
        Estimator[] chosen = new Estimator[scenarios];
        for (int s = 0; s < scenarios; s++) {
            for (Estimator e : available) {
                double mae = Arrays.stream(residuals.get(e)[s]).map(Math::abs).filter(Double::isFinite).average()
                        .orElse(Double.POSITIVE_INFINITY);
                errors.computeIfAbsent(e, k -> new double[scenarios])[s] = mae;
                if (chosen[s] == null || mae < errors.get(chosen[s])[s]) {
                    chosen[s] = e;
                }
            }
        }
        int[] all = IntStream.range(0, models).toArray();
        return new EstimationModel(items, scenarioOfItem, balance, subset, scenarios, lambdas,
                items == null ? null : regressions(raw, truth, all, scenarios), proxies(raw, truth, all, scenarios),
                residuals, chosen, errors);
    }

    /** Estimates from a model's answers to the subset's items (in subset order; NaN for unanswered). */
    public ScoreEstimate estimate(double[] answers, double level) {
        if (answers.length != subset.items().length) {
            throw new IllegalArgumentException("expected " + subset.items().length + " answers, got " + answers.length);
        }
        Raw raw = Raw.of(items, scenarioOfItem, balance, subset, scenarios, answers);
        double[] widening = widening(answers);
        List<ScoreEstimate.Part> parts = new ArrayList<>();
        double overall = 0;
        Map<String, Double> overallValues = new LinkedHashMap<>();
        double[] overallResiduals = null;
        for (int s = 0; s < scenarios; s++) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (Estimator e : residuals.keySet()) {
                double v = value(e, raw, s, lambdas, regressions, proxies);
                values.put(e.code(), v);
                overallValues.merge(e.code(), v / scenarios, Double::sum);
            }
            double estimate = clamp(values.get(chosen[s].code()));
            double[] r = residuals.get(chosen[s])[s];
            overallResiduals = overallResiduals == null ? new double[r.length] : overallResiduals;
            for (int l = 0; l < r.length; l++) {
                overallResiduals[l] += r[l] / scenarios;
            }
            ConformalInterval.Interval interval = widen(ConformalInterval.of(estimate, r, level, true), estimate,
                    widening[s]);
            parts.add(new ScoreEstimate.Part(estimate, interval.lower(), interval.upper(), level, chosen[s].code(),
                    values));
            overall += estimate / scenarios;
        }
        ConformalInterval.Interval interval = widen(ConformalInterval.of(overall, overallResiduals, level, true),
                overall, widening[scenarios]);
        ScoreEstimate.Part total = new ScoreEstimate.Part(overall, interval.lower(), interval.upper(), level, "auto",
                overallValues);
        return new ScoreEstimate(parts, total);
    }

    /**
     * How much wider each scenario's interval gets (last: overall) when subset items went unanswered: the residuals
     * were measured with every item answered, and the sampling error of a mean of m answers instead of n grows as
     * sqrt(n / m).
     */
    private double[] widening(double[] answers) {
        int[] size = new int[scenarios + 1];
        int[] answered = new int[scenarios + 1];
        for (int k = 0; k < answers.length; k++) {
            int s = scenarioOfItem[subset.items()[k]];
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
     * What a fitted model keeps, to be stored and restored without refitting: lambdas, the regressions' centres,
     * scales and coefficients, the proxy lines, each estimator's cross-validated residuals and errors, and the
     * estimator chosen per scenario. Estimators are named by code.
     */
    public record State(double[] lambdas, List<Regression> regressions, double[][] proxies,
            Map<String, double[][]> residuals, List<String> chosen, Map<String, double[]> errors) {

        /** One scenario's additive regression. */
        public record Regression(double[] centre, double[] scale, double[] beta) {
        }
    }

    public State state() {
        List<State.Regression> stored = regressions == null ? null : Arrays.stream(regressions)
                .map(r -> new State.Regression(r.centre(), r.scale(), r.beta())).toList();
        Map<String, double[][]> byCode = new LinkedHashMap<>();
        residuals.forEach((e, r) -> byCode.put(e.code(), r));
        return new State(lambdas, stored, proxies, byCode, chosen(), errors());
    }

    /** A fitted model from its {@link #state()} and the inputs it was fitted with. */
    public static EstimationModel restore(State state, ItemBank items, int[] scenarioOfItem, double[] balance,
            Subset subset) {
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
        if (state.lambdas().length != scenarios || state.chosen().size() != scenarios) {
            throw new IllegalArgumentException("the state has " + state.lambdas().length + " scenarios, the items "
                    + scenarios);
        }
        AdditiveRegression[] regressions = state.regressions() == null ? null : state.regressions().stream()
                .map(r -> new AdditiveRegression(r.centre(), r.scale(), r.beta())).toArray(AdditiveRegression[]::new);
        Map<Estimator, double[][]> residuals = new EnumMap<>(Estimator.class);
        state.residuals().forEach((code, r) -> residuals.put(Estimator.parse(code), r));
        Map<Estimator, double[]> errors = new EnumMap<>(Estimator.class);
        state.errors().forEach((code, e) -> errors.put(Estimator.parse(code), e));
        Estimator[] chosen = state.chosen().stream().map(Estimator::parse).toArray(Estimator[]::new);
        return new EstimationModel(items, scenarioOfItem, balance, subset, scenarios, state.lambdas(), regressions,
                state.proxies(), residuals, chosen, errors);
    }

    /** Each estimator's cross-validated mean absolute error per scenario. */
    public Map<String, double[]> errors() {
        Map<String, double[]> byCode = new LinkedHashMap<>();
        errors.forEach((e, v) -> byCode.put(e.code(), v.clone()));
        return byCode;
    }

    public double[] lambdas() {
        return lambdas.clone();
    }

    /** The estimator chosen per scenario. */
    public List<String> chosen() {
        return Arrays.stream(chosen).map(Estimator::code).toList();
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }

    private static double value(Estimator e, Raw raw, int s, double[] lambdas, AdditiveRegression[] regressions,
            double[][] proxies) {
        return switch (e) {
            case SUBSET_MEAN -> raw.mean[s];
            case WEIGHTED -> raw.weighted[s];
            case PIRT -> raw.pirt[s];
            case GPIRT -> lambdas[s] * raw.weighted[s] + (1 - lambdas[s]) * raw.pirt[s];
            case REGRESSION -> regressions[s].predict(new double[] {raw.weighted[s], raw.pirt[s]});
            case GENETIC_PROXY -> proxies[s][0] + proxies[s][1] * raw.mean[s];
        };
    }

    private static AdditiveRegression[] regressions(Raw[] raw, double[][] truth, int[] rows, int scenarios) {
        AdditiveRegression[] regressions = new AdditiveRegression[scenarios];
        for (int s = 0; s < scenarios; s++) {
            int scenario = s;
            double[][] x = Arrays.stream(rows).mapToObj(l -> new double[] {raw[l].weighted[scenario],
                    raw[l].pirt[scenario]}).toArray(double[][]::new);
            double[] y = Arrays.stream(rows).mapToDouble(l -> truth[scenario][l]).toArray();
            regressions[s] = AdditiveRegression.fit(x, y);
        }
        return regressions;
    }

    private static double[][] proxies(Raw[] raw, double[][] truth, int[] rows, int scenarios) {
        double[][] lines = new double[scenarios][];
        for (int s = 0; s < scenarios; s++) {
            double n = 0;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (int l : rows) {
                double x = raw[l].mean[s];
                double y = truth[s][l];
                if (Double.isNaN(x) || Double.isNaN(y)) {
                    continue;
                }
                n++;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
            double variance = sxx - sx * sx / n;
            double slope = variance > 1e-12 ? (sxy - sx * sy / n) / variance : 1;
            lines[s] = new double[] {(sy - slope * sx) / n, slope};
        }
        return lines;
    }

    // lambda_s = b^2 / (b^2 + v / (c n)), b = mean |IRT prediction of the unanswered items - truth|
    private static double[] lambdas(ItemBank items, ResponseMatrix training, int[] scenarioOfItem, Subset subset,
            int scenarios, Raw[] raw, double[][] truth, Options options) {
        double[] lambdas = new double[scenarios];
        if (items == null) {
            return lambdas;
        }
        double[] variance = GpirtLambda.itemVariance(training, scenarioOfItem, scenarios);
        for (int s = 0; s < scenarios; s++) {
            int scenario = s;
            double bias = IntStream.range(0, raw.length).mapToDouble(l -> Math.abs(raw[l].irt[scenario]
                    - truth[scenario][l])).filter(Double::isFinite).average().orElse(0);
            int n = (int) Arrays.stream(subset.items()).filter(j -> scenarioOfItem[j] == scenario).count();
            lambdas[s] = GpirtLambda.lambda(bias, variance[s], options.anchorFactor(), Math.max(1, n));
        }
        return lambdas;
    }

    private static double[][] truth(ResponseMatrix training, int[] scenarioOfItem, double[] balance, int scenarios,
            double[][] targets) {
        double[][] truth = new double[scenarios][training.models()];
        double[] row = new double[training.items()];
        for (int l = 0; l < training.models(); l++) {
            training.row(l, row);
            double[] scores = ScenarioScores.of(row, balance, scenarioOfItem, scenarios);
            for (int s = 0; s < scenarios; s++) {
                double given = targets == null ? Double.NaN : targets[s][l];
                truth[s][l] = Double.isNaN(given) ? scores[s] : given;
            }
        }
        return truth;
    }

    private static int[] folds(int models, Options options) {
        return Simulation.folds(models, options.folds(), new SplittableRandom(options.seed()));
    }


    private static Raw[] pick(Raw[] raw, int[] rows) {
        return Arrays.stream(rows).mapToObj(l -> raw[l]).toArray(Raw[]::new);
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

    /** The estimator-independent readings of one model's answers: plain, weighted, p-IRT and its IRT part. */
    private record Raw(double[] mean, double[] weighted, double[] pirt, double[] irt) {

        static Raw of(ItemBank items, int[] scenarioOfItem, double[] balance, Subset subset, int scenarios,
                double[] answers) {
            double[] mean = new double[scenarios];
            double[] weighted = new double[scenarios];
            double[] pirt = new double[scenarios];
            double[] irt = new double[scenarios];
            double[] weightSum = new double[scenarios];
            double[] balanced = new double[scenarios];
            int[] answered = new int[scenarios];
            boolean[] seen = new boolean[scenarioOfItem.length];
            for (int k = 0; k < subset.items().length; k++) {
                int j = subset.items()[k];
                if (Double.isNaN(answers[k])) {
                    continue;
                }
                seen[j] = true;
                int s = scenarioOfItem[j];
                mean[s] += answers[k];
                weighted[s] += subset.weights()[k] * answers[k];
                weightSum[s] += subset.weights()[k];
                balanced[s] += balance[j] * answers[k];
                answered[s]++;
            }
            double[] theta = items == null ? null
                    : AbilityEstimator.estimate(items, subset.items(), answers, AbilityMethod.MLE).theta();
            double[] predicted = new double[scenarios];
            int[] others = new int[scenarios];
            int[] total = new int[scenarios];
            for (int j = 0; j < scenarioOfItem.length; j++) {
                int s = scenarioOfItem[j];
                total[s]++;
                if (!seen[j] && theta != null) {
                    predicted[s] += balance[j] * items.probability(j, theta);
                    others[s]++;
                }
            }
            for (int s = 0; s < scenarios; s++) {
                mean[s] = answered[s] == 0 ? Double.NaN : mean[s] / answered[s];
                weighted[s] = weightSum[s] == 0 ? Double.NaN : weighted[s] / weightSum[s];
                double share = (double) answered[s] / total[s];
                irt[s] = others[s] == 0 ? Double.NaN : predicted[s] / others[s];
                pirt[s] = theta == null ? Double.NaN : share * (answered[s] == 0 ? 0 : balanced[s] / answered[s])
                        + (1 - share) * (others[s] == 0 ? 0 : irt[s]);
            }
            return new Raw(mean, weighted, pirt, irt);
        }
    }
}
