package dev.itembank.psychometrics.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.itembank.psychometrics.adaptive.AdaptiveDesign;
import dev.itembank.psychometrics.adaptive.AdaptiveCalibration;
import dev.itembank.psychometrics.adaptive.AdaptiveTest;
import dev.itembank.psychometrics.adaptive.StoppingRule;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;

/**
 * A backtest of adaptive testing: per fold, the items are calibrated on the training models, the reading's lines and
 * intervals are fitted on cross-fitted simulated sessions of the training models (as the service does), and a session is simulated for each held-out model from
 * its full row (the answers it would give); its final estimate is compared with its true full score, as
 * {@link Backtest} does for fixed subsets.
 *
 * @param metrics per scenario and overall
 * @param itemsPerScenario the items a session asked, per covered scenario, averaged over the held-out models
 * @param reasons how often each stopping reason ended a session
 * @param randomShare the share of the folds' covered scenarios whose items the sessions drew at random (their
 *        simulated error was lower: {@link AdaptiveCalibration#sampled})
 */
public record AdaptiveBacktest(Map<String, Metrics> metrics, double itemsPerScenario, Map<String, Integer> reasons,
        double randomShare) {

    public static AdaptiveBacktest run(ResponseMatrix matrix, int[] scenarioOfItem, int[] subscenarioOfItem,
            double[] balance, String[] scenarioNames, Backtest.Split split, Backtest.Setup setup,
            int maxItemsPerScenario, int batchSize) {
        int scenarios = scenarioNames.length;
        List<Backtest.Fold> folds = Backtest.folds(matrix.models(), split);
        int total = folds.stream().mapToInt(f -> f.test().length).sum();
        double[][] estimates = new double[scenarios + 1][total];
        double[][] truths = new double[scenarios + 1][total];
        double[][] lower = new double[scenarios + 1][total];
        double[][] upper = new double[scenarios + 1][total];
        StoppingRule rule = new StoppingRule(Double.NaN, Double.NaN, maxItemsPerScenario * scenarios, batchSize);
        Map<String, Integer> reasons = new LinkedHashMap<>();
        long asked = 0;
        int at = 0;
        int chosen = 0;
        int random = 0;
        double[] row = new double[matrix.items()];
        for (Backtest.Fold fold : folds) {
            ResponseMatrix training = matrix.selectModels(fold.train());
            ItemBank items = Backtest.calibrate(training, setup, setup.seed(), CalibrationMonitor.NONE);
            AdaptiveDesign design = AdaptiveDesign.of(items, scenarioOfItem, subscenarioOfItem, balance);
            AdaptiveCalibration calibration = AdaptiveCalibration.fit(design, rule, training, setup.seed(), setup.level(),
                    (half, models) -> Backtest.calibrate(models, setup, setup.seed(), CalibrationMonitor.NONE));
            for (int s = 0; s < scenarios; s++) {
                chosen++;
                random += calibration.sampled()[s] ? 1 : 0;
            }
            for (int l : fold.test()) {
                matrix.row(l, row);
                AdaptiveTest.Simulated session = AdaptiveTest.simulate(design, rule, calibration, row,
                        setup.seed() + l, setup.level());
                asked += session.asked().length;
                reasons.merge(session.last().reason(), 1, Integer::sum);
                AdaptiveTest.Reading reading = session.last().reading();
                double[] truth = ScenarioScores.of(row, balance, scenarioOfItem, scenarios);
                double overallTruth = 0;
                for (int s = 0; s <= scenarios; s++) {
                    double estimate = s < scenarios ? reading.estimate()[s] : reading.overall();
                    double half = calibration.halfWidth(reading, s < scenarios ? s : -1, setup.level());
                    estimates[s][at] = estimate;
                    lower[s][at] = Math.max(0, estimate - half);
                    upper[s][at] = Math.min(1, estimate + half);
                    if (s < scenarios) {
                        truths[s][at] = truth[s];
                        overallTruth += truth[s] / scenarios;
                    } else {
                        truths[s][at] = overallTruth;
                    }
                }
                at++;
            }
        }
        Map<String, Metrics> metrics = new LinkedHashMap<>();
        for (int s = 0; s <= scenarios; s++) {
            metrics.put(s < scenarios ? scenarioNames[s] : "overall", Metrics.of(estimates[s], truths[s], lower[s],
                    upper[s]));
        }
        return new AdaptiveBacktest(metrics, (double) asked / total / scenarios, reasons, (double) random / chosen);
    }
}
