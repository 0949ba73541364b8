package dev.itembank.psychometrics.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.estimation.AutoSelection;
import dev.itembank.psychometrics.estimation.EstimationModel;
import dev.itembank.psychometrics.estimation.ScoreEstimate;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.Calibrator;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.StrengthSplit;
import dev.itembank.psychometrics.matrix.ScenarioScores;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.RandomSelection;
import dev.itembank.psychometrics.selection.Selection;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;

/**
 * A backtest: for each split, calibration, selection and the estimators are refitted on the training models only,
 * and the held-out models' full scores are estimated from their answers to the subset; the estimates are then
 * compared with the truth per scenario and overall, and the same is done with random subsets of the same budget.
 */
public final class Backtest {

    private Backtest() {
    }

    /** Which models are held out. */
    public sealed interface Split {
        /** k folds over the models, assigned from a seed. */
        record KFold(int folds, long seed) implements Split {
        }

        /** The {@code count} newest models by release date (days since the epoch, NaN for unknown: never held out). */
        record Newest(double[] released, int count) implements Split {
        }

        /** An explicit list of held-out models. */
        record HeldOut(int[] models) implements Split {
        }

        /**
         * Zhang, Dorner and Hardt's extrapolation split: models ranked by their full score (the mean over
         * scenarios), the weakest {@code trainShare} train and the strongest {@code testShare} are estimated; the
         * models between are left out, so every estimated model is stronger than every training model.
         */
        record Extrapolation(double[] fullScores, double trainShare, double testShare) implements Split {
            public Extrapolation {
                if (!(trainShare > 0 && testShare > 0 && trainShare + testShare <= 1)) {
                    throw new IllegalArgumentException("need shares > 0 with trainShare + testShare <= 1");
                }
            }
        }
    }

    /** One round of a backtest: the models fitted on and the models estimated. */
    public record Fold(int[] train, int[] test) {
    }

    /**
     * @param calibration the calibration model ({@code 2pl}, ..., {@code mirt})
     * @param dimensions D for {@code mirt}
     * @param method the selection method
     * @param budget the selection budget
     * @param level the intervals' nominal coverage
     * @param randomSeeds how many random subsets make the baseline (0: no baseline, its maps stay empty)
     * @param seed seed of selection and folds
     * @param nestedIntervals whether the estimators' residuals come from refitting calibration and selection per
     *        inner fold (honest coverage, five times the work) or from the outer fit alone
     */
    public record Setup(String calibration, Integer dimensions, Selection.Method method, Budget budget, double level,
            int randomSeeds, long seed, boolean nestedIntervals) {
    }

    /**
     * Metrics per scenario and overall, for the method, for the random baseline read with the same fitted
     * estimators ({@code random}) and for random subsets read by their plain weighted mean ({@code randomMean}, the
     * baseline a user needs no service for; its intervals are not defined, so its coverage is NaN).
     */
    public record Report(Map<String, Metrics> method, Map<String, Metrics> random, Map<String, Metrics> randomMean,
            Map<String, Map<String, Metrics>> randomReadings, double[][] estimates, double[][] truths) {

        /** The references of Zhang, Dorner and Hardt read off the random subsets: ridge and AIPW. */
        public static final List<String> REFERENCES = List.of("ridge", "aipw");
    }

    public static Report run(ResponseMatrix matrix, int[] scenarioOfItem, double[] balance, String[] scenarioNames,
            Split split, Setup setup, CalibrationMonitor monitor) {
        List<Fold> heldOut = folds(matrix.models(), split);
        Outcome method = outcome(matrix, scenarioOfItem, balance, heldOut, setup, setup.method(), setup.seed(), monitor);
        List<Map<String, Metrics>> randoms = new ArrayList<>();
        Map<String, List<Map<String, Metrics>>> readings = new LinkedHashMap<>();
        for (int k = 0; k < setup.randomSeeds(); k++) {
            Outcome random = outcome(matrix, scenarioOfItem, balance, heldOut, setup, Selection.Method.RANDOM,
                    setup.seed() + 1000 + k, monitor);
            randoms.add(random.metrics(scenarioNames));
            for (String code : Report.REFERENCES) {
                double[][] values = random.byEstimator().get(code);
                if (values != null) {
                    readings.computeIfAbsent(code, c -> new ArrayList<>()).add(new Outcome(values, random.truths(),
                            null, null, random.models(), Map.of()).metrics(scenarioNames));
                }
            }
        }
        List<Map<String, Metrics>> means = new ArrayList<>();
        for (int k = 0; k < setup.randomSeeds(); k++) {
            means.add(plainMean(matrix, scenarioOfItem, balance, heldOut, setup.budget(), setup.seed() + 1000 + k)
                    .metrics(scenarioNames));
        }
        Map<String, Metrics> random = new LinkedHashMap<>();
        Map<String, Metrics> randomMean = new LinkedHashMap<>();
        Map<String, Map<String, Metrics>> randomReadings = new LinkedHashMap<>();
        for (String key : randoms.isEmpty() ? List.<String>of() : method.metrics(scenarioNames).keySet()) {
            random.put(key, Metrics.mean(randoms.stream().map(m -> m.get(key)).toList()));
            randomMean.put(key, Metrics.mean(means.stream().map(m -> m.get(key)).toList()));
            readings.forEach((code, runs) -> randomReadings.computeIfAbsent(code, c -> new LinkedHashMap<>())
                    .put(key, Metrics.mean(runs.stream().map(m -> m.get(key)).toList())));
        }
        return new Report(method.metrics(scenarioNames), random, randomMean, randomReadings, method.estimates,
                method.truths);
    }

    /** Random subsets of the budget, each held-out model read by the subset's weighted mean per scenario. */
    private static Outcome plainMean(ResponseMatrix matrix, int[] scenarioOfItem, double[] balance,
            List<Fold> heldOut, Budget budget, long seed) {
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
        int total = heldOut.stream().mapToInt(h -> h.test().length).sum();
        double[][] estimates = new double[scenarios + 1][total];
        double[][] truths = new double[scenarios + 1][total];
        int[] models = new int[total];
        int at = 0;
        double[] row = new double[matrix.items()];
        for (Fold fold : heldOut) {
            Subset subset = RandomSelection.select(new SelectionInput(matrix, scenarioOfItem,
                    new int[scenarioOfItem.length], null), budget, seed, null);
            for (int l : fold.test()) {
                matrix.row(l, row);
                double[] mean = ScenarioScores.of(row, subset.items(), subset.weights(), scenarioOfItem, scenarios);
                double[] truth = truth(row, scenarioOfItem, balance, scenarios);
                for (int s = 0; s <= scenarios; s++) {
                    estimates[s][at] = s < scenarios ? mean[s] : Arrays.stream(mean).sum() / scenarios;
                    truths[s][at] = truth[s];
                }
                models[at++] = l;
            }
        }
        return new Outcome(estimates, truths, null, null, models, Map.of());
    }

    /**
     * Estimates, truths and intervals of every held-out model; index scenarios (last: overall); and every
     * estimator's own estimates, by code.
     */
    private record Outcome(double[][] estimates, double[][] truths, double[][] lower, double[][] upper, int[] models,
            Map<String, double[][]> byEstimator) {

        Map<String, Metrics> metrics(String[] scenarioNames) {
            Map<String, Metrics> metrics = new LinkedHashMap<>();
            for (int s = 0; s < estimates.length; s++) {
                String name = s == estimates.length - 1 ? "overall" : scenarioNames[s];
                metrics.put(name, Metrics.of(estimates[s], truths[s], lower == null ? null : lower[s],
                        upper == null ? null : upper[s]));
            }
            return metrics;
        }
    }

    private static Outcome outcome(ResponseMatrix matrix, int[] scenarioOfItem, double[] balance, List<Fold> heldOut,
            Setup setup, Selection.Method method, long seed, CalibrationMonitor monitor) {
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
        int total = heldOut.stream().mapToInt(h -> h.test().length).sum();
        Map<String, double[][]> byEstimator = new LinkedHashMap<>();
        double[][] estimates = new double[scenarios + 1][total];
        double[][] truths = new double[scenarios + 1][total];
        double[][] lower = new double[scenarios + 1][total];
        double[][] upper = new double[scenarios + 1][total];
        int[] models = new int[total];
        int at = 0;
        for (Fold fold : heldOut) {
            int[] held = fold.test();
            ResponseMatrix training = matrix.selectModels(fold.train());
            ItemBank items = calibrate(training, setup, seed, monitor);
            Subset subset;
            EstimationModel model;
            if (method == Selection.Method.AUTO) {
                // auto chooses subset and estimator together, recalibrating per fold, as the service does
                AutoSelection.Outcome auto = AutoSelection.choose(new SelectionInput(training, scenarioOfItem,
                        new int[scenarioOfItem.length], items), balance, null,
                        t -> Backtest.calibrate(t, setup, seed, monitor), setup.budget(), seed, null, monitor);
                subset = auto.subset();
                model = auto.model();
            } else {
                subset = select(training, scenarioOfItem, items, method, setup.budget(), seed);
                model = fitted(training, scenarioOfItem, balance, items, subset, setup, method, seed, monitor);
            }
            double[] row = new double[matrix.items()];
            for (int l : held) {
                matrix.row(l, row);
                double[] answers = Arrays.stream(subset.items()).mapToDouble(j -> row[j]).toArray();
                ScoreEstimate estimate = model.estimate(answers, setup.level());
                double[] truth = truth(row, scenarioOfItem, balance, scenarios);
                for (int s = 0; s <= scenarios; s++) {
                    ScoreEstimate.Part part = s == scenarios ? estimate.overall() : estimate.scenarios().get(s);
                    for (Map.Entry<String, Double> value : part.estimators().entrySet()) {
                        double v = Math.max(0, Math.min(1, value.getValue()));
                        byEstimator.computeIfAbsent(value.getKey(),
                                c -> ScenarioScores.unread(scenarios + 1, total))[s][at] = v;
                    }
                    estimates[s][at] = part.estimate();
                    lower[s][at] = part.lower();
                    upper[s][at] = part.upper();
                    truths[s][at] = truth[s];
                }
                models[at++] = l;
            }
        }
        return new Outcome(estimates, truths, lower, upper, models, byEstimator);
    }

    /**
     * A method's estimators on its subset, with calibration and selection refitted per fold when asked for (the
     * selection alone always, for a method that selects on the scores).
     */
    private static EstimationModel fitted(ResponseMatrix training, int[] scenarioOfItem, double[] balance,
            ItemBank items, Subset subset, Setup setup, Selection.Method method, long seed, CalibrationMonitor monitor) {
        EstimationModel.Refit refit = new EstimationModel.Refit() {
            @Override
            public ItemBank calibrate(ResponseMatrix foldTraining) {
                return Backtest.calibrate(foldTraining, setup, seed, monitor);
            }

            @Override
            public Subset select(ResponseMatrix foldTraining, ItemBank foldItems) {
                return Backtest.select(foldTraining, scenarioOfItem, foldItems, method, setup.budget(), seed);
            }
        };
        return EstimationModel.fit(training, scenarioOfItem, balance, items, subset, null,
                EstimationModel.Options.forSubset(subset, refit, items, setup.nestedIntervals()));
    }

    static ItemBank calibrate(ResponseMatrix training, Setup setup, long seed, CalibrationMonitor monitor) {
        Calibrator.Request request = new Calibrator.Request(setup.calibration(), setup.dimensions(), null, false, null,
                null, null, seed, Runtime.getRuntime().availableProcessors());
        return Calibrator.calibrate(training, request, monitor).calibration().items();
    }

    static Subset select(ResponseMatrix training, int[] scenarioOfItem, ItemBank items, Selection.Method method,
            Budget budget, long seed) {
        return Selection.select(new SelectionInput(training, scenarioOfItem, new int[scenarioOfItem.length], items),
                method, budget, seed, null);
    }

    /** Balance-weighted scenario means and their mean (overall, last). */
    private static double[] truth(double[] row, int[] scenarioOfItem, double[] balance, int scenarios) {
        double[] truth = Arrays.copyOf(ScenarioScores.of(row, balance, scenarioOfItem, scenarios), scenarios + 1);
        for (int s = 0; s < scenarios; s++) {
            truth[scenarios] += truth[s] / scenarios;
        }
        return truth;
    }


    public static List<Fold> folds(int models, Split split) {
        if (split instanceof Split.KFold kFold) {
            int[] foldOf = Simulation.folds(models, kFold.folds(), new SplittableRandom(kFold.seed()));
            List<Fold> folds = new ArrayList<>();
            for (int f = 0; f < kFold.folds(); f++) {
                int fold = f;
                folds.add(complement(models, IntStream.range(0, models).filter(l -> foldOf[l] == fold).toArray()));
            }
            return folds;
        }
        if (split instanceof Split.Newest newest) {
            Integer[] order = IntStream.range(0, models).filter(l -> !Double.isNaN(newest.released()[l]))
                    .boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> Double.compare(newest.released()[b], newest.released()[a]));
            return List.of(complement(models, Arrays.stream(order).limit(newest.count()).mapToInt(Integer::intValue)
                    .sorted().toArray()));
        }
        if (split instanceof Split.Extrapolation extrapolation) {
            StrengthSplit ranked = StrengthSplit.of(extrapolation.fullScores(),
                    (int) Math.round(extrapolation.trainShare() * models),
                    (int) Math.round(extrapolation.testShare() * models));
            return List.of(new Fold(ranked.weak(), ranked.strong()));
        }
        return List.of(complement(models, ((Split.HeldOut) split).models().clone()));
    }

    /** The fold that estimates {@code test} and trains on every other model. */
    private static Fold complement(int models, int[] test) {
        boolean[] out = new boolean[models];
        for (int l : test) {
            out[l] = true;
        }
        return new Fold(IntStream.range(0, models).filter(l -> !out[l]).toArray(), test);
    }

    /** Each model's full score: the mean over scenarios of its balance-weighted scenario means. */
    public static double[] fullScores(ResponseMatrix matrix, int[] scenarioOfItem, double[] balance) {
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
        double[] scores = new double[matrix.models()];
        double[] row = new double[matrix.items()];
        for (int l = 0; l < scores.length; l++) {
            matrix.row(l, row);
            scores[l] = truth(row, scenarioOfItem, balance, scenarios)[scenarios];
        }
        return scores;
    }
}
