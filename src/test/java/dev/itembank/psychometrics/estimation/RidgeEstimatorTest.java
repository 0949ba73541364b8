package dev.itembank.psychometrics.estimation;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.selection.Subset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The item-level ridge learns a score that is a linear function of the subset's answers, and restores exactly. */
class RidgeEstimatorTest {

    @Test
    void learnsALinearReadingOfTheAnswersAndRestoresExactly() {
        SplittableRandom random = new SplittableRandom(5);
        int items = 20;
        int models = 80;
        int[] scenario = new int[items];
        Subset subset = new Subset("random", Map.of(), 0L, java.util.stream.IntStream.range(0, 10).toArray(),
                new double[10], new int[] {10}, Subset.Diagnostics.none());
        Design design = new Design(null, scenario, new double[items], subset);
        double[] weights = random.doubles(10, 0, 0.1).toArray();
        Reading[] readings = new Reading[models];
        double[][] truth = new double[1][models];
        for (int l = 0; l < models; l++) {
            double[] answers = new double[10];
            for (int k = 0; k < 10; k++) {
                answers[k] = random.nextInt(2);
                truth[0][l] += weights[k] * answers[k];
            }
            truth[0][l] += 0.2;
            readings[l] = blank(answers);
        }
        ScoreEstimator ridge = ScoreEstimators.byCode("ridge");
        ScoreEstimator.Fitted fitted = ridge.fit(new ScoreEstimator.Training(design, readings, truth, null));
        double[] fresh = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1};
        double expected = 0.2;
        for (int k = 0; k < 10; k++) {
            expected += weights[k] * fresh[k];
        }
        Reading reading = blank(fresh);
        assertThat(fitted.predict(reading, 0)).isCloseTo(expected, within(0.01));
        assertThat(ridge.restore(fitted.state()).predict(reading, 0)).isEqualTo(fitted.predict(reading, 0));
    }

    /** The primal and the dual form give the same coefficients (and the same lambda by GCV) on the same data. */
    @Test
    void primalAndDualFormsAgree() {
        SplittableRandom random = new SplittableRandom(9);
        for (int[] shape : new int[][] {{40, 12}, {15, 25}}) {
            int n = shape[0];
            int p = shape[1];
            double[][] x = new double[n][p];
            double[] y = new double[n];
            for (int l = 0; l < n; l++) {
                for (int k = 0; k < p; k++) {
                    x[l][k] = random.nextInt(2) - 0.5;
                    y[l] += 0.05 * k * x[l][k];
                }
                y[l] += 0.1 * random.nextGaussian();
            }
            org.hipparchus.linear.RealMatrix design = org.hipparchus.linear.MatrixUtils.createRealMatrix(x);
            double[] primal = RidgeEstimator.primal(design, y, p);
            double[] dual = RidgeEstimator.dual(design, y, n);
            for (int k = 0; k < p; k++) {
                assertThat(primal[k]).as("n %d, p %d, beta_%d", n, p, k).isCloseTo(dual[k], within(1e-9));
            }
        }
    }

    /**
     * Joint estimation across scenarios: two scenarios that need the same ability, the second read on 3 items only.
     * Its score is read better from every subset item ({@code ridge-joint}) than from its own 3 ({@code ridge}); the
     * joint reading restores exactly through the model's stored state, and is not offered on a single scenario.
     */
    @Test
    void aScenarioReadOnFewItemsIsReadBetterFromTheAnswersOfEveryScenario() {
        SplittableRandom random = new SplittableRandom(9);
        int models = 300;
        int items = 200;
        int[] scenario = java.util.stream.IntStream.range(0, items).map(j -> j < 100 ? 0 : 1).toArray();
        double[] difficulty = random.doubles(items, -2, 2).toArray();
        dev.itembank.psychometrics.matrix.ResponseMatrix.Builder builder =
                dev.itembank.psychometrics.matrix.ResponseMatrix.binary(models, items);
        for (int l = 0; l < models; l++) {
            double ability = dev.itembank.psychometrics.irt.Simulation.gaussian(random);
            for (int j = 0; j < items; j++) {
                builder.set(l, j, random.nextDouble() < 1 / (1 + Math.exp(-(1.5 * ability - difficulty[j]))) ? 1 : 0);
            }
        }
        dev.itembank.psychometrics.matrix.ResponseMatrix all = builder.build();
        double[] balance = new double[items];
        java.util.Arrays.fill(balance, 1.0);
        dev.itembank.psychometrics.selection.SelectionInput input = new dev.itembank.psychometrics.selection
                .SelectionInput(all, scenario, new int[items], null);
        Subset subset = dev.itembank.psychometrics.selection.RandomSelection.select(input,
                dev.itembank.psychometrics.selection.Budget.explicit(new int[] {40, 3}), 2L, null);
        EstimationModel model = EstimationModel.fit(all, scenario, balance, null, subset, null,
                EstimationModel.Options.forSubset(subset));
        double own = model.errors().get("ridge")[1];
        double joint = model.errors().get("ridge-joint")[1];
        // measured: cross-validated MAE 0.152 on the 3 own items, 0.062 on all 43
        assertThat(joint).isLessThan(0.7 * own);
        EstimationModel restored = EstimationModel.restore(model.state(), null, scenario, balance, subset);
        double[] answers = java.util.Arrays.stream(subset.items()).mapToDouble(j -> all.get(7, j)).toArray();
        assertThat(restored.estimate(answers, 0.9).scenarios().get(1).estimators().get("ridge-joint"))
                .isEqualTo(model.estimate(answers, 0.9).scenarios().get(1).estimators().get("ridge-joint"));
        int[] one = new int[items];
        Subset single = dev.itembank.psychometrics.selection.RandomSelection.select(new dev.itembank.psychometrics
                .selection.SelectionInput(all, one, new int[items], null),
                dev.itembank.psychometrics.selection.Budget.itemsPerScenario(20), 2L, null);
        assertThat(EstimationModel.fit(all, one, balance, null, single, null, EstimationModel.Options.forSubset(
                single)).errors()).containsKey("ridge").doesNotContainKey("ridge-joint");
    }

    /** A reading with only its answers: ridge reads nothing else. */
    private static Reading blank(double[] answers) {
        double[] none = new double[1];
        return new Reading(none, none, none, none, none, none, none, none, none, null, null, answers);
    }
}
