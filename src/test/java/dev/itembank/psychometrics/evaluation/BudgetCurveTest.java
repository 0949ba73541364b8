package dev.itembank.psychometrics.evaluation;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.estimation.EstimationModel;
import dev.itembank.psychometrics.estimation.ScoreEstimate;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.EmCalibrator;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.ItemModel;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.RandomSelection;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;
import dev.itembank.support.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetCurveTest {

    /**
     * The advice, taken from the 48 training models' own backtest, holds for the 16 models it never saw: random
     * subsets of the recommended size estimate them within the target in at least 80% of (scenario, seed) cases.
     */
    @Test
    void theRecommendedBudgetMeetsTheTargetOnHeldOutModels() {
        Fixtures.Wmdp wmdp = Fixtures.wmdp();
        int[] scenario = wmdp.scenarioOfItem();
        double[] balance = new double[scenario.length];
        Arrays.fill(balance, 1.0);
        ResponseMatrix all = wmdp.responses();
        ResponseMatrix training = all.selectModels(IntStream.range(16, 64).toArray());
        String[] names = {"wmdp_cyber", "wmdp_bio"};
        BudgetCurve.Curve curve = BudgetCurve.compute(training, scenario, balance, names, new int[] {10, 30, 100},
                0L, CalibrationMonitor.NONE);
        assertThat(curve.points()).extracting(BudgetCurve.Point::itemsPerScenario).containsExactly(10, 30, 100);
        // more items, less error: the curve falls from 10 to 100 items
        assertThat(curve.points().get(2).mae()).isLessThan(curve.points().get(0).mae());
        double target = 0.035;
        BudgetCurve.Point advice = curve.recommend(target);
        assertThat(advice).isNotNull();
        assertThat(advice.worstScenarioMae()).isLessThanOrEqualTo(target);
        assertThat(curve.recommend(1e-6)).isNull();

        ItemBank items = EmCalibrator.compute(training, EmCalibrator.Options.defaults(ItemModel.TWO_PL),
                CalibrationMonitor.NONE).items();
        int met = 0;
        int cases = 0;
        for (long seed = 0; seed < 5; seed++) {
            Subset subset = RandomSelection.select(new SelectionInput(training, scenario, new int[scenario.length],
                    items), Budget.itemsPerScenario(advice.itemsPerScenario()), 100 + seed, null);
            EstimationModel model = EstimationModel.fit(training, scenario, balance, items, subset, null,
                    EstimationModel.Options.forSubset(subset));
            double[] error = new double[2];
            for (int l = 0; l < 16; l++) {
                int row = l;
                double[] answers = Arrays.stream(subset.items()).mapToDouble(j -> all.get(row, j)).toArray();
                ScoreEstimate estimate = model.estimate(answers, 0.9);
                for (int s = 0; s < 2; s++) {
                    int sc = s;
                    double truth = IntStream.range(0, scenario.length).filter(j -> scenario[j] == sc)
                            .mapToDouble(j -> all.get(row, j)).average().orElseThrow();
                    error[s] += Math.abs(estimate.scenarios().get(s).estimate() - truth) / 16;
                }
            }
            for (double e : error) {
                met += e <= target ? 1 : 0;
                cases++;
            }
        }
        assertThat((double) met / cases).as("share of (scenario, seed) within the target").isGreaterThanOrEqualTo(0.8);
    }
}
