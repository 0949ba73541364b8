package dev.itembank.psychometrics.estimation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.Selection;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;

/**
 * Itembank's default ({@code auto}): the subset and its estimator chosen together, by what a new model would get.
 * Every selection method is a candidate; each is fitted as an {@link EstimationModel} whose cross-validation
 * refits, per fold, the calibration (on the fold's training models, so the held-out fold never informs the items)
 * and the candidate's own selection, and picks the estimator per scenario. A candidate's error is the mean over
 * scenarios of its chosen estimators' cross-validated absolute errors; the lowest wins, and its fitted model is the
 * one the subset is published with. The fold calibrations are shared by all candidates (they do not depend on the
 * subset), so the whole comparison costs six calibrations (five folds and gp-IRT's validation fit) beyond the
 * selections.
 */
public final class AutoSelection {

    private AutoSelection() {
    }

    /**
     * The winner and the comparison.
     *
     * @param errors each candidate's cross-validated error, by method code (candidates that cannot run on the
     *        input are left out)
     */
    public record Outcome(Subset subset, EstimationModel model, Map<String, Double> errors) {
    }

    /**
     * @param input the training models, grouping, calibration (fitted on all training models) and item texts
     * @param balance the items' balance weights
     * @param targets per scenario and training model, the full score to learn (null: the balance-weighted mean)
     * @param calibrate the calibration procedure, applied to a fold's training models
     * @param excluded items no candidate may take (earlier forms, items dropped by the calibration), or null
     */
    public static Outcome choose(SelectionInput input, double[] balance, double[][] targets,
            Function<ResponseMatrix, ItemBank> calibrate, Budget budget, long seed, boolean[] excluded,
            CalibrationMonitor monitor) {
        Map<ResponseMatrix, ItemBank> calibrations = new ConcurrentHashMap<>();
        Function<ResponseMatrix, ItemBank> shared = input.items() == null ? training -> null
                : training -> calibrations.computeIfAbsent(training, calibrate);
        List<Selection.Method> candidates = Arrays.stream(Selection.Method.values())
                .filter(m -> m != Selection.Method.AUTO)
                .filter(m -> input.items() != null || m != Selection.Method.ANCHOR_IRT)
                .toList();
        Map<String, Double> errors = new LinkedHashMap<>();
        Subset best = null;
        EstimationModel bestModel = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (int c = 0; c < candidates.size(); c++) {
            Selection.Method method = candidates.get(c);
            monitor.checkCancelled();
            monitor.progress((double) c / candidates.size(), "auto: backtesting " + method.code());
            Subset subset;
            EstimationModel model;
            try {
                subset = Selection.select(input, method, budget, seed, excluded, monitor);
                model = EstimationModel.fit(input.responses(), input.scenarioOfItem(), balance, input.items(), subset,
                        targets, EstimationModel.Options.forSubset(subset).withRefit(new EstimationModel.Refit() {
                            @Override
                            public ItemBank calibrate(ResponseMatrix training) {
                                return shared.apply(training);
                            }

                            @Override
                            public Subset select(ResponseMatrix training, ItemBank items) {
                                return Selection.select(new SelectionInput(training, input.scenarioOfItem(),
                                        input.subscenarioOfItem(), items, input.embeddings()), method, budget, seed,
                                        excluded, monitor);
                            }
                        }));
            } catch (IllegalArgumentException e) {
                continue; // a method that cannot run on this input (too few models, ...) is left out
            }
            double error = error(model);
            errors.put(method.code(), error);
            if (error < bestError) {
                bestError = error;
                best = subset;
                bestModel = model;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no selection method can run on this input");
        }
        Map<String, String> parameters = new LinkedHashMap<>(best.parameters());
        parameters.put("chosen", best.method());
        List<String> notes = new ArrayList<>(best.diagnostics().notes());
        errors.forEach((code, error) -> notes.add(String.format("auto: %s cross-validated MAE %.4f", code, error)));
        Subset chosen = new Subset("auto", parameters, seed, best.items(), best.weights(), best.budget(),
                new Subset.Diagnostics(best.diagnostics().inertia(), best.diagnostics().fitnessHistory(),
                        best.diagnostics().dropped(), notes));
        return new Outcome(chosen, bestModel, errors);
    }

    /** The mean over scenarios of the chosen estimators' cross-validated mean absolute errors. */
    static double error(EstimationModel model) {
        Map<String, double[]> errors = model.errors();
        List<String> chosen = model.chosen();
        double total = 0;
        for (int s = 0; s < chosen.size(); s++) {
            total += errors.get(chosen.get(s))[s];
        }
        return total / chosen.size();
    }
}
