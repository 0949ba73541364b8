package dev.itembank.psychometrics.estimation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.JointMapCalibrator;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.RandomSelection;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;
import dev.itembank.support.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * New models stronger than every training model (Zhang, Dorner and Hardt's extrapolation split on WMDP: train on
 * the weakest 50%, estimate the strongest 30%). Fitted readings extrapolate there; the estimate must notice, fall
 * back to AIPW, and keep an interval that covers.
 */
class ExtrapolationTest {

    @Test
    void modelsBeyondTheTrainingRangeAreReadByAipwWithIntervalsThatStillCover() {
        Fixtures.Wmdp wmdp = Fixtures.wmdp();
        ResponseMatrix all = wmdp.responses();
        int[] scenario = wmdp.scenarioOfItem();
        double[] balance = new double[scenario.length];
        Arrays.fill(balance, 1.0);
        double[][] truth = new double[2][64];
        int[] sizes = new int[2];
        for (int s : scenario) {
            sizes[s]++;
        }
        for (int l = 0; l < 64; l++) {
            for (int j = 0; j < scenario.length; j++) {
                truth[scenario[j]][l] += all.get(l, j) / sizes[scenario[j]];
            }
        }
        Integer[] order = IntStream.range(0, 64).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(l -> truth[0][l] + truth[1][l]));
        int[] weakest = Arrays.stream(order).limit(32).mapToInt(Integer::intValue).toArray();
        int[] strongest = Arrays.stream(order).skip(64 - 19).mapToInt(Integer::intValue).toArray();
        ResponseMatrix training = all.selectModels(weakest);
        ItemBank items = JointMapCalibrator.compute(training, JointMapCalibrator.Options.defaults(2),
                CalibrationMonitor.NONE).items();
        double guarded = 0;
        double unguarded = 0;
        double plain = 0;
        int covered = 0;
        int flagged = 0;
        int parts = 0;
        for (long seed = 0; seed < 3; seed++) {
            Subset subset = RandomSelection.select(new SelectionInput(training, scenario, new int[scenario.length],
                    items), Budget.itemsPerScenario(50), seed, null);
            EstimationModel model = EstimationModel.fit(training, scenario, balance, items, subset, null,
                    EstimationModel.Options.forSubset(subset));
            for (int l : strongest) {
                double[] answers = Arrays.stream(subset.items()).mapToDouble(j -> all.get(l, j)).toArray();
                ScoreEstimate estimate = model.estimate(answers, 0.9);
                for (int s = 0; s < 2; s++) {
                    ScoreEstimate.Part part = estimate.scenarios().get(s);
                    double t = truth[s][l];
                    parts++;
                    guarded += Math.abs(part.estimate() - t);
                    double chosen = part.estimators().get(model.chosen().get(s));
                    unguarded += Math.abs(Math.max(0, Math.min(1, chosen)) - t);
                    plain += Math.abs(part.estimators().get("weighted") - t);
                    covered += part.lower() <= t && t <= part.upper() ? 1 : 0;
                    if (part.extrapolated()) {
                        flagged++;
                        assertThat(part.estimator()).isEqualTo("aipw");
                        assertThat(estimate.overall().extrapolated()).isTrue();
                    }
                }
            }
        }
        // measured: 114 of 114 parts flagged; MAE 0.037 against 0.048 for the estimators chosen by
        // cross-validation on the weak models and 0.050 for the plain weighted mean; coverage 0.91
        assertThat(flagged).as("parts read as extrapolation").isGreaterThanOrEqualTo(parts * 3 / 4);
        assertThat(guarded / parts).as("MAE with the fallback").isLessThan(0.85 * plain / parts)
                .isLessThan(unguarded / parts);
        assertThat((double) covered / parts).as("coverage of the 90% intervals").isBetween(0.85, 0.97);
    }

    /**
     * On a searched subset (anchors) the fallback is AIPW with the anchors' weights, used only when AIPW lies beyond
     * the training models by more than its sampling half-width; the models it takes are read better than by the
     * estimators fitted on the weak models.
     */
    @Test
    void onAnchorsTheFallbackTakesOnlyModelsClearlyBeyondAndReadsThemBetter() {
        Fixtures.Wmdp wmdp = Fixtures.wmdp();
        ResponseMatrix all = wmdp.responses();
        int[] scenario = wmdp.scenarioOfItem();
        double[] balance = new double[scenario.length];
        Arrays.fill(balance, 1.0);
        double[][] truth = new double[2][64];
        int[] sizes = new int[2];
        for (int s : scenario) {
            sizes[s]++;
        }
        for (int l = 0; l < 64; l++) {
            for (int j = 0; j < scenario.length; j++) {
                truth[scenario[j]][l] += all.get(l, j) / sizes[scenario[j]];
            }
        }
        Integer[] order = IntStream.range(0, 64).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(l -> truth[0][l] + truth[1][l]));
        int[] weakest = Arrays.stream(order).limit(32).mapToInt(Integer::intValue).toArray();
        ResponseMatrix training = all.selectModels(weakest);
        ItemBank items = JointMapCalibrator.compute(training, JointMapCalibrator.Options.defaults(2),
                CalibrationMonitor.NONE).items();
        Subset anchors = dev.itembank.psychometrics.selection.AnchorSelection.select(new SelectionInput(training,
                scenario, new int[scenario.length], items), Budget.itemsPerScenario(50), 0L,
                dev.itembank.psychometrics.selection.AnchorSelection.Features.IRT, null);
        EstimationModel model = EstimationModel.fit(training, scenario, balance, items, anchors, null,
                EstimationModel.Options.forSubset(anchors));
        double fallback = 0;
        double chosen = 0;
        int flagged = 0;
        for (int l : Arrays.stream(order).skip(64 - 19).mapToInt(Integer::intValue).toArray()) {
            double[] answers = Arrays.stream(anchors.items()).mapToDouble(j -> all.get(l, j)).toArray();
            ScoreEstimate estimate = model.estimate(answers, 0.9);
            for (int s = 0; s < 2; s++) {
                ScoreEstimate.Part part = estimate.scenarios().get(s);
                if (part.extrapolated()) {
                    flagged++;
                    assertThat(part.estimator()).isEqualTo("aipw");
                    fallback += Math.abs(part.estimate() - truth[s][l]);
                    double fitted = part.estimators().get(model.chosen().get(s));
                    chosen += Math.abs(Math.max(0, Math.min(1, fitted)) - truth[s][l]);
                }
            }
        }
        // measured: 2 of the 38 scenario estimates flagged; there the fallback misses by 0.026, the chosen
        // estimators by 0.100
        assertThat(flagged).isPositive();
        assertThat(fallback).isLessThan(chosen);
    }
}
