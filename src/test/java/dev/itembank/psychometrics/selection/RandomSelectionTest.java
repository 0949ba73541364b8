package dev.itembank.psychometrics.selection;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * tinyBenchmarks' random subsets are unbiased for the mean of sub-scenario means when sub-scenarios differ in
 * size. One scenario of a 10-item sub-scenario every model answers right and a 90-item one every model answers
 * wrong scores 0.5; weighting the picks by their balance weights (1/n_k) read 20 random items as about 0.9.
 */
class RandomSelectionTest {

    @Test
    void theWeightedMeanOfARandomSubsetIsTheMeanOfSubscenarioMeans() {
        int items = 100;
        int[] scenario = new int[items];
        int[] subscenario = IntStream.range(0, items).map(j -> j < 10 ? 0 : 1).toArray();
        ResponseMatrix.Builder builder = ResponseMatrix.binary(3, items);
        for (int l = 0; l < 3; l++) {
            for (int j = 0; j < items; j++) {
                builder.set(l, j, subscenario[j] == 0 ? 1 : 0);
            }
        }
        ResponseMatrix responses = builder.build();
        SelectionInput input = new SelectionInput(responses, scenario, subscenario, null);
        double[] row = new double[items];
        responses.row(0, row);
        double truth = ScenarioScores.of(row, input.balanceWeights(), scenario, 1)[0];
        assertThat(truth).isCloseTo(0.5, within(1e-12));
        for (long seed = 0; seed < 5; seed++) {
            Subset subset = RandomSelection.select(input, Budget.itemsPerScenario(20), seed, null);
            double estimate = 0;
            for (int k = 0; k < subset.items().length; k++) {
                estimate += subset.weights()[k] * row[subset.items()[k]];
            }
            assertThat(estimate).as("seed " + seed).isCloseTo(truth, within(1e-12));
        }
        // a budget smaller than what the small sub-scenario could take in equal shares still reads 0.5
        Subset five = RandomSelection.select(input, Budget.itemsPerScenario(4), 3L, null);
        double estimate = 0;
        for (int k = 0; k < five.items().length; k++) {
            estimate += five.weights()[k] * row[five.items()[k]];
        }
        assertThat(estimate).isCloseTo(0.5, within(1e-12));
    }
}
