package dev.itembank.psychometrics.selection;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Stratified subsets read by their weighted mean are unbiased for a model stronger than every training model (the
 * strata come from the training models, the draws within them are uniform), and less variable than random subsets
 * of the same size, on a scenario of two sub-scenarios of unequal size.
 */
class StratifiedSelectionTest {

    private static final int ITEMS = 200;
    private static final int DRAWS = 3000;

    @Test
    void theWeightedMeanIsUnbiasedBeyondTheTrainingModelsAndVariesLessThanARandomSubsetOfTheSameSize() {
        // 40 training models around -0.5, all weaker than the model to estimate (ability 2)
        WeakTrainingSimulation simulation = WeakTrainingSimulation.of(11, ITEMS, 30, 2);
        SelectionInput input = simulation.input();
        double[] strong = simulation.strong();
        double truth = simulation.truth();

        double[] stratified = new double[DRAWS];
        double[] simple = new double[DRAWS];
        for (int seed = 0; seed < DRAWS; seed++) {
            Subset subset = StratifiedSelection.select(input, Budget.itemsPerScenario(20), seed, null);
            assertThat(Arrays.stream(subset.items()).distinct().count()).isEqualTo(20);
            assertThat(Arrays.stream(subset.weights()).sum()).isCloseTo(1, within(1e-12));
            stratified[seed] = read(subset, strong);
            simple[seed] = read(RandomSelection.select(input, Budget.itemsPerScenario(20), seed, null), strong);
        }
        double sd = sd(stratified);
        assertThat(mean(stratified)).as("unbiased within 4 standard errors of the mean of %d draws", DRAWS)
                .isCloseTo(truth, within(4 * sd / Math.sqrt(DRAWS)));
        // difficulty explains much of this model's item-to-item variation: the strata remove that part
        assertThat(sd).isLessThan(0.9 * sd(simple));
    }

    private static double read(Subset subset, double[] row) {
        double estimate = 0;
        for (int k = 0; k < subset.items().length; k++) {
            estimate += subset.weights()[k] * row[subset.items()[k]];
        }
        return estimate;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double sd(double[] values) {
        return new org.hipparchus.stat.descriptive.moment.StandardDeviation().evaluate(values);
    }
}
