package dev.itembank.psychometrics.selection;

import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.Calibration;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.EmCalibrator;
import dev.itembank.psychometrics.irt.ItemModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InformationSelectionTest {

    static WmdpFixture wmdp;
    static SelectionInput input;

    @BeforeAll
    static void calibrate() {
        wmdp = WmdpFixture.load();
        Calibration calibration = EmCalibrator.compute(wmdp.all().selectModels(wmdp.train()),
                EmCalibrator.Options.defaults(ItemModel.TWO_PL), CalibrationMonitor.NONE);
        input = new SelectionInput(wmdp.all().selectModels(wmdp.train()), wmdp.scenarioOfItem(),
                new int[wmdp.scenarioOfItem().length], calibration.items());
    }

    /** MAE over held-out models and scenarios of mean_i P_i(theta), theta the MAP ability from the subset. */
    static double irtPredictionError(Subset subset) {
        dev.itembank.psychometrics.irt.ItemBank items = input.items();
        double error = 0;
        int count = 0;
        for (int l : wmdp.test()) {
            double[] answers = IntStream.of(subset.items()).mapToDouble(j -> wmdp.all().get(l, j)).toArray();
            double[] theta = dev.itembank.psychometrics.irt.AbilityEstimator.estimate(items, subset.items(), answers,
                    dev.itembank.psychometrics.irt.AbilityMethod.MAP).theta();
            for (int s = 0; s < 2; s++) {
                double predicted = 0;
                double truth = 0;
                int size = 0;
                for (int j = 0; j < wmdp.scenarioOfItem().length; j++) {
                    if (wmdp.scenarioOfItem()[j] == s) {
                        predicted += items.probability(j, theta);
                        truth += wmdp.all().get(l, j);
                        size++;
                    }
                }
                error += Math.abs(predicted - truth) / size;
                count++;
            }
        }
        return error / count;
    }

    @Test
    void keepsInformativeItemsWithinTheBudgetAndReportsWhatItDropped() {
        Subset subset = InformationSelection.select(input, Budget.itemsPerScenario(100), 3L, null);
        assertThat(subset.method()).isEqualTo("information");
        assertThat(IntStream.of(subset.budget()).allMatch(count -> count >= 1 && count <= 100)).isTrue();
        double[] sums = new double[2];
        for (int k = 0; k < subset.items().length; k++) {
            sums[wmdp.scenarioOfItem()[subset.items()[k]]] += subset.weights()[k];
        }
        assertThat(sums[0]).isCloseTo(1, within(1e-9));
        assertThat(sums[1]).isCloseTo(1, within(1e-9));
        assertThat(subset.diagnostics().dropped()).isNotEmpty();
        boolean[] dropped = new boolean[3260];
        subset.diagnostics().dropped().forEach(d -> dropped[d.item()] = true);
        assertThat(IntStream.of(subset.items()).noneMatch(j -> dropped[j])).isTrue();
        assertThat(subset.diagnostics().notes()).hasSize(2).allMatch(note -> note.contains("validation RMSE"));
        // a subset chosen for information is not a sample of the scenario: its plain mean is biased, and metabench
        // reads it through the IRT model instead; that way it estimates the held-out models' scores usefully
        assertThat(irtPredictionError(subset)).isLessThan(0.06);
        Subset again = InformationSelection.select(input, Budget.itemsPerScenario(100), 3L, null);
        assertThat(again.items()).containsExactly(subset.items());
    }
}
