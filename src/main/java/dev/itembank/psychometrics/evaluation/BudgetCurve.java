package dev.itembank.psychometrics.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.Selection;

/**
 * The budget advisor's science: how the error of an estimate falls with the items per scenario, backtested on a
 * benchmark's own models, and the smallest budget that meets a target error.
 *
 * <p>Each budget on a grid is backtested by k-fold over the models (5 folds): per fold a 2PL calibration on the
 * fold's training models, a random subset of the budget, the estimators fitted and chosen on the training models
 * by cross-validation (with the AIPW fallback beyond their range), and the fold's models estimated. The curve is
 * each budget's mean absolute error per scenario and overall, with the 90% intervals' coverage. A random subset
 * rather than {@code auto}'s search keeps the curve affordable (one selection per fold and budget instead of every
 * method's) and makes it an upper bound on what {@code auto} reaches at that budget.
 */
public final class BudgetCurve {

    /** Items per scenario tried, up to the smallest scenario's size. */
    public static final int[] GRID = {5, 10, 20, 30, 50, 75, 100, 150, 200, 300};
    static final int FOLDS = 5;
    static final double LEVEL = 0.9;

    private BudgetCurve() {
    }

    /** One budget's backtest. */
    public record Point(int itemsPerScenario, double mae, Map<String, Double> maeByScenario, double coverage) {

        /** The largest of the scenarios' errors: a budget meets a target when every scenario does. */
        public double worstScenarioMae() {
            return maeByScenario.values().stream().mapToDouble(Double::doubleValue).max().orElse(mae);
        }
    }

    /** The curve, budgets ascending. */
    public record Curve(List<Point> points) {

        /** The smallest budget whose every scenario's backtested error is at most {@code targetError}, or null. */
        public Point recommend(double targetError) {
            return points.stream().filter(p -> p.worstScenarioMae() <= targetError).findFirst().orElse(null);
        }
    }

    /** The budgets of the grid that every scenario can hold (at least the smallest grid point). */
    public static int[] budgets(int[] scenarioOfItem) {
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
        int[] sizes = new int[scenarios];
        for (int s : scenarioOfItem) {
            sizes[s]++;
        }
        int smallest = Arrays.stream(sizes).filter(size -> size > 0).min().orElse(0);
        int[] fitting = Arrays.stream(GRID).filter(b -> b < smallest).toArray();
        return fitting.length == 0 ? new int[] {Math.max(1, smallest - 1)} : fitting;
    }

    /** The curve over the grid's budgets that fit the benchmark. */
    public static Curve compute(ResponseMatrix matrix, int[] scenarioOfItem, double[] balance, String[] scenarioNames,
            long seed, CalibrationMonitor monitor) {
        return compute(matrix, scenarioOfItem, balance, scenarioNames, budgets(scenarioOfItem), seed, monitor);
    }

    /** The curve over the given budgets (items per scenario, ascending). */
    public static Curve compute(ResponseMatrix matrix, int[] scenarioOfItem, double[] balance, String[] scenarioNames,
            int[] budgets, long seed, CalibrationMonitor monitor) {
        if (matrix.models() < 2 * FOLDS) {
            throw new IllegalArgumentException("the budget advisor backtests by " + FOLDS + "-fold cross-validation "
                    + "over the models and needs at least " + 2 * FOLDS + ", the benchmark has " + matrix.models());
        }
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < budgets.length; k++) {
            monitor.checkCancelled();
            monitor.progress((double) k / budgets.length, "backtesting " + budgets[k] + " items per scenario");
            Backtest.Setup setup = new Backtest.Setup("2pl", null, Selection.Method.RANDOM,
                    Budget.itemsPerScenario(budgets[k]), LEVEL, 0, seed, false);
            Backtest.Report report = Backtest.run(matrix, scenarioOfItem, balance, scenarioNames,
                    new Backtest.Split.KFold(FOLDS, seed), setup, monitor);
            Map<String, Double> byScenario = new LinkedHashMap<>();
            for (String name : scenarioNames) {
                byScenario.put(name, report.method().get(name).mae());
            }
            Metrics overall = report.method().get("overall");
            points.add(new Point(budgets[k], overall.mae(), byScenario, overall.coverage()));
        }
        return new Curve(points);
    }
}
