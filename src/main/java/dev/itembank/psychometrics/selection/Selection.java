package dev.itembank.psychometrics.selection;

import dev.itembank.psychometrics.irt.CalibrationMonitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;

/**
 * Every selection method behind one entry point, and parallel forms (k disjoint subsets of the same budget, each
 * backtested). {@code auto} is not a selection of its own: it chooses among these together with the estimator that
 * will read the subset ({@code estimation.AutoSelection}).
 */
public final class Selection {

    /** Folds of the backtest over training models. */
    public static final int FOLDS = 3;

    private Selection() {
    }

    public enum Method {
        AUTO("auto"),
        RANDOM("random"),
        STRATIFIED("stratified"),
        ANCHOR_CORRECTNESS("anchor-correctness"),
        ANCHOR_IRT("anchor-irt"),
        INFORMATION("information"),
        GENETIC("genetic"),
        RANK_CORRELATION("rank-correlation"),
        STEPWISE("stepwise");

        private final String code;

        Method(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /**
         * Whether the method fits its items to the training models' scores so closely that residuals read on the same
         * models are far too small ({@code stepwise}: 90% intervals covered 38-88% of held-out models, 69% on average
         * over nine datasets): its estimators' residuals then always come from the selection redone per fold.
         */
        public boolean selectsOnTheScores() {
            return this == STEPWISE;
        }

        public static Method parse(String text) {
            String code = text.toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(method -> method.code.equals(code)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown selection method '" + text + "': use one of "
                            + Arrays.stream(values()).map(Method::code).toList()));
        }
    }

    public static Subset select(SelectionInput input, Method method, Budget budget, long seed, boolean[] excluded) {
        return select(input, method, budget, seed, excluded, CalibrationMonitor.NONE);
    }

    /**
     * As {@link #select(SelectionInput, Method, Budget, long, boolean[])}, stopping with
     * {@link dev.itembank.psychometrics.irt.CalibrationCancelledException} soon after {@code monitor} is cancelled:
     * {@code auto} checks before each candidate's every backtest fold, {@code rank-correlation} before each
     * candidate subset.
     */
    public static Subset select(SelectionInput input, Method method, Budget budget, long seed, boolean[] excluded,
            CalibrationMonitor monitor) {
        monitor.checkCancelled();
        return switch (method) {
            case RANDOM -> RandomSelection.select(input, budget, seed, excluded);
            case STRATIFIED -> StratifiedSelection.select(input, budget, seed, excluded);
            case ANCHOR_CORRECTNESS -> AnchorSelection.select(input, budget, seed, AnchorSelection.Features.CORRECTNESS,
                    excluded);
            case ANCHOR_IRT -> AnchorSelection.select(input, budget, seed, AnchorSelection.Features.IRT, excluded);
            case INFORMATION -> InformationSelection.select(input, budget, seed, excluded);
            case GENETIC -> GeneticSelection.select(input, budget, seed, excluded, input.embeddings(),
                    GeneticSelection.Options.defaults());
            case RANK_CORRELATION -> RankCorrelationSelection.select(input, budget, seed, excluded, monitor);
            case STEPWISE -> StepwiseSelection.select(input, budget, seed, excluded);
            case AUTO -> throw new IllegalArgumentException("auto chooses the subset together with its "
                    + "estimator: use dev.itembank.psychometrics.estimation.AutoSelection");
        };
    }

    /** {@code forms} disjoint subsets, each made without the items of the ones before, each with its backtest. */
    public static List<Subset> forms(SelectionInput input, Method method, Budget budget, long seed, int forms) {
        return forms(input, method, budget, seed, forms, null);
    }

    /** As {@link #forms(SelectionInput, Method, Budget, long, int)}, never choosing the items {@code unusable} marks. */
    public static List<Subset> forms(SelectionInput input, Method method, Budget budget, long seed, int forms,
            boolean[] unusable) {
        return forms(input, method, budget, seed, forms, unusable, CalibrationMonitor.NONE);
    }

    /** As above, reporting each form's progress to {@code monitor} and stopping soon after it is cancelled. */
    public static List<Subset> forms(SelectionInput input, Method method, Budget budget, long seed, int forms,
            boolean[] unusable, CalibrationMonitor monitor) {
        if (forms < 1) {
            throw new IllegalArgumentException("forms must be >= 1, got " + forms);
        }
        boolean[] excluded = unusable == null ? new boolean[input.responses().items()] : unusable.clone();
        List<Subset> subsets = new ArrayList<>();
        for (int form = 0; form < forms; form++) {
            monitor.progress((double) form / forms, "selecting form " + (form + 1) + " of " + forms);
            Subset subset = select(input, method, budget, seed + form, excluded, monitor);
            for (int j : subset.items()) {
                excluded[j] = true;
            }
            List<String> notes = new ArrayList<>(subset.diagnostics().notes());
            // each form is backtested as its method would be on these models, holding out the earlier forms' items
            boolean[] before = excluded.clone();
            for (int j : subset.items()) {
                before[j] = false;
            }
            notes.add(String.format("form %d of %d; backtest MAE %.4f", form + 1, forms,
                    backtest(input, method, budget, seed + form, before, monitor)));
            subsets.add(new Subset(subset.method(), subset.parameters(), subset.seed(), subset.items(), subset.weights(),
                    subset.budget(), new Subset.Diagnostics(subset.diagnostics().inertia(),
                            subset.diagnostics().fitnessHistory(), subset.diagnostics().dropped(), notes)));
        }
        return subsets;
    }

    /**
     * Cross-validated error of a method: per fold, select on the other training models, fit per scenario
     * score = a + b * (weighted subset score) on them, and take the mean absolute error of that estimate on the
     * fold's models. (The calibration in the input was fitted on all training models; only the selection and the
     * estimate are refitted.)
     */
    public static double backtest(SelectionInput input, Method method, Budget budget, long seed, boolean[] excluded) {
        return backtest(input, method, budget, seed, excluded, CalibrationMonitor.NONE);
    }

    static double backtest(SelectionInput input, Method method, Budget budget, long seed, boolean[] excluded,
            CalibrationMonitor monitor) {
        ResponseMatrix responses = input.responses();
        int models = responses.models();
        int[] foldOf = Simulation.folds(models, FOLDS, new SplittableRandom(seed ^ 0x5DEECE66DL));
        double[][] truth = scenarioScores(input, null);
        double error = 0;
        int count = 0;
        for (int fold = 0; fold < FOLDS; fold++) {
            int f = fold;
            int[] held = IntStream.range(0, models).filter(l -> foldOf[l] == f).toArray();
            int[] train = IntStream.range(0, models).filter(l -> foldOf[l] != f).toArray();
            SelectionInput trainInput = new SelectionInput(responses.selectModels(train), input.scenarioOfItem(),
                    input.subscenarioOfItem(), input.items(), input.embeddings());
            Subset subset = select(trainInput, method, budget, seed, excluded, monitor);
            double[][] estimates = scenarioScores(input, subset);
            for (int s = 0; s < input.scenarios(); s++) {
                double[] line = line(estimates[s], truth[s], train);
                for (int l : held) {
                    error += Math.abs(line[0] + line[1] * estimates[s][l] - truth[s][l]);
                    count++;
                }
            }
        }
        return error / count;
    }

    /** Per scenario and model: the balance-weighted full score (subset null) or the subset's weighted score. */
    static double[][] scenarioScores(SelectionInput input, Subset subset) {
        ResponseMatrix responses = input.responses();
        int scenarios = input.scenarios();
        double[][] scores = new double[scenarios][responses.models()];
        int[] items = subset == null ? IntStream.range(0, responses.items()).toArray() : subset.items();
        double[] weights = subset == null ? input.balanceWeights() : subset.weights();
        double[] row = new double[responses.items()];
        for (int l = 0; l < responses.models(); l++) {
            responses.row(l, row);
            double[] model = ScenarioScores.of(row, items, weights, input.scenarioOfItem(), scenarios);
            for (int s = 0; s < scenarios; s++) {
                scores[s][l] = model[s];
            }
        }
        return scores;
    }

    private static double[] line(double[] x, double[] y, int[] rows) {
        return dev.itembank.psychometrics.matrix.LeastSquares.line(x, y, l -> java.util.Arrays.binarySearch(rows, l) >= 0);
    }

}
