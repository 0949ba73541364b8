package dev.itembank.psychometrics.estimation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.AnchorSelection;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.JointMapCalibrator;
import dev.itembank.support.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConformalIntervalTest {

    @Test
    void coversNewDrawsAtTheNominalLevel() {
        SplittableRandom random = new SplittableRandom(8);
        // 2,000 calibration residuals: the coverage given them varies with SD about 0.007 around the nominal level
        double[] residuals = IntStream.range(0, 2000).mapToDouble(k -> 0.02 * Simulation.gaussian(random)).toArray();
        int covered = 0;
        int trials = 20_000;
        for (int k = 0; k < trials; k++) {
            double truth = 0.5;
            double estimate = truth + 0.02 * Simulation.gaussian(random);
            covered += ConformalInterval.of(estimate, residuals, 0.9, true).contains(truth) ? 1 : 0;
        }
        assertThat((double) covered / trials).isCloseTo(0.9, within(0.02));
        assertThat(ConformalInterval.halfWidth(new double[] {0.1, 0.2}, 0.9)).isInfinite();
    }

    /**
     * On tinyBenchmarks' WMDP split: anchors and the residuals that size the intervals come only from the 48
     * training models (5-fold cross-validation, calibration and selection refitted per fold); the 16 held-out
     * models' true scores fall inside their 90% intervals within 10 points of 90% of the time.
     */
    @Test
    void heldOutWmdpModelsAreCoveredNearTheNominalLevel() {
        Fixtures.Wmdp wmdp = Fixtures.wmdp();
        ResponseMatrix all = wmdp.responses();
        int[] scenario = wmdp.scenarioOfItem();
        int[] train = IntStream.range(16, 64).toArray();
        int[] test = IntStream.range(0, 16).toArray();
        double[][] truth = truth(all, scenario);
        // cross-validated residuals of the weighted anchor estimate over the training models
        List<Double>[] residuals = new List[] {new ArrayList<Double>(), new ArrayList<Double>()};
        for (int fold = 0; fold < 5; fold++) {
            int f = fold;
            int[] fit = IntStream.range(0, train.length).filter(k -> k % 5 != f).map(k -> train[k]).toArray();
            int[] held = IntStream.range(0, train.length).filter(k -> k % 5 == f).map(k -> train[k]).toArray();
            Subset subset = anchors(all, fit, scenario);
            for (int l : held) {
                double[] estimate = weighted(all, l, subset, scenario);
                for (int s = 0; s < 2; s++) {
                    residuals[s].add(estimate[s] - truth[s][l]);
                }
            }
        }
        Subset subset = anchors(all, train, scenario);
        int covered = 0;
        for (int l : test) {
            double[] estimate = weighted(all, l, subset, scenario);
            for (int s = 0; s < 2; s++) {
                double[] r = residuals[s].stream().mapToDouble(Double::doubleValue).toArray();
                covered += ConformalInterval.of(estimate[s], r, 0.9, true).contains(truth[s][l]) ? 1 : 0;
            }
        }
        double coverage = covered / 32.0;
        assertThat(coverage).as("coverage of 32 held-out model-scenario scores").isBetween(0.8, 1.0);
    }

    private static Subset anchors(ResponseMatrix all, int[] models, int[] scenario) {
        ResponseMatrix training = all.selectModels(models);
        SelectionInput input = new SelectionInput(training, scenario, new int[scenario.length],
                JointMapCalibrator.compute(training, JointMapCalibrator.Options.defaults(5), CalibrationMonitor.NONE)
                        .items());
        return AnchorSelection.select(input, Budget.itemsPerScenario(100), 0L, AnchorSelection.Features.IRT, null);
    }

    private static double[] weighted(ResponseMatrix all, int model, Subset subset, int[] scenario) {
        double[] estimate = new double[2];
        for (int k = 0; k < subset.items().length; k++) {
            estimate[scenario[subset.items()[k]]] += subset.weights()[k] * all.get(model, subset.items()[k]);
        }
        return estimate;
    }

    private static double[][] truth(ResponseMatrix all, int[] scenario) {
        double[][] truth = new double[2][all.models()];
        int[] sizes = new int[2];
        for (int j = 0; j < scenario.length; j++) {
            sizes[scenario[j]]++;
        }
        for (int l = 0; l < all.models(); l++) {
            for (int j = 0; j < scenario.length; j++) {
                truth[scenario[j]][l] += all.get(l, j) / sizes[scenario[j]];
            }
        }
        return truth;
    }
}
