package dev.itembank.psychometrics.selection;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;

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
        SplittableRandom random = new SplittableRandom(11);
        int[] scenario = new int[ITEMS];
        int[] subscenario = IntStream.range(0, ITEMS).map(j -> j < 30 ? 0 : 1).toArray();
        double[] difficulty = IntStream.range(0, ITEMS).mapToDouble(j -> 1.5 * gaussian(random)).toArray();
        // 40 training models around -0.5, all weaker than the model to estimate (ability 2)
        ResponseMatrix.Builder builder = ResponseMatrix.binary(40, ITEMS);
        for (int l = 0; l < 40; l++) {
            double theta = -0.5 + 0.5 * gaussian(random);
            for (int j = 0; j < ITEMS; j++) {
                builder.set(l, j, random.nextDouble() < p(theta, difficulty[j]) ? 1 : 0);
            }
        }
        SelectionInput input = new SelectionInput(builder.build(), scenario, subscenario, null);
        double[] strong = new double[ITEMS];
        for (int j = 0; j < ITEMS; j++) {
            strong[j] = random.nextDouble() < p(2, difficulty[j]) ? 1 : 0;
        }
        double truth = ScenarioScores.of(strong, input.balanceWeights(), scenario, 1)[0];

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

    private static double p(double theta, double b) {
        return 1 / (1 + Math.exp(-1.5 * (theta - b)));
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double sd(double[] values) {
        double mean = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
    }
}
