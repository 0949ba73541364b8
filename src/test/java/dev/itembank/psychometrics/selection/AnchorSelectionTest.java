package dev.itembank.psychometrics.selection;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AnchorSelectionTest {

    static WmdpFixture wmdp;
    static SelectionInput input;

    @BeforeAll
    static void calibrateOnTheTrainingModels() {
        wmdp = WmdpFixture.load();
        input = wmdp.calibratedInput(5);
    }

    /** The bar: on tinyBenchmarks' WMDP split, IRT anchors beat random subsets of the same budget. */
    @Test
    void irtAnchorsEstimateHeldOutScoresBetterThanRandomSubsets() {
        Subset anchors = AnchorSelection.select(input, Budget.itemsPerScenario(100), 0L, AnchorSelection.Features.IRT,
                null);
        double anchorError = wmdp.weightedMeanError(anchors);
        double randomError = IntStream.range(0, 5)
                .mapToDouble(seed -> wmdp.weightedMeanError(RandomSelection.select(input, Budget.itemsPerScenario(100),
                        seed, null)))
                .average().orElseThrow();
        assertThat(anchorError).isLessThan(randomError);
    }

    @Test
    void sameInputAndSeedGiveTheSameSubsetForEveryMethod() {
        for (AnchorSelection.Features features : AnchorSelection.Features.values()) {
            Subset first = AnchorSelection.select(input, Budget.itemsPerScenario(20), 7L, features, null);
            Subset second = AnchorSelection.select(input, Budget.itemsPerScenario(20), 7L, features, null);
            assertThat(second.items()).containsExactly(first.items());
            assertThat(second.weights()).containsExactly(first.weights());
        }
        Subset first = RandomSelection.select(input, Budget.itemsPerScenario(20), 7L, null);
        assertThat(RandomSelection.select(input, Budget.itemsPerScenario(20), 7L, null).items())
                .containsExactly(first.items());
        assertThat(RandomSelection.select(input, Budget.itemsPerScenario(20), 8L, null).items())
                .isNotEqualTo(first.items());
    }

    @Test
    void weightsSumToOneWithinEachScenarioAndBudgetsAreMet() {
        for (Subset subset : new Subset[] {
                AnchorSelection.select(input, Budget.itemsPerScenario(30), 1L, AnchorSelection.Features.CORRECTNESS, null),
                AnchorSelection.select(input, Budget.totalItems(50), 1L, AnchorSelection.Features.IRT, null),
                RandomSelection.select(input, Budget.fraction(0.02), 1L, null)}) {
            double[] sums = new double[2];
            int[] counts = new int[2];
            for (int k = 0; k < subset.items().length; k++) {
                int s = wmdp.scenarioOfItem()[subset.items()[k]];
                sums[s] += subset.weights()[k];
                counts[s]++;
            }
            assertThat(sums[0]).isCloseTo(1.0, within(1e-9));
            assertThat(sums[1]).isCloseTo(1.0, within(1e-9));
            assertThat(counts).containsExactly(subset.budget());
        }
        // 50 items over 1,987 cyber and 1,273 bio items, in proportion
        assertThat(Budget.totalItems(50).perScenario(new int[] {1987, 1273})).containsExactly(30, 20);
    }

    @Test
    void randomSelectionSpreadsEachScenarioOverItsSubscenarios() {
        int items = wmdp.scenarioOfItem().length;
        int[] subscenario = IntStream.range(0, items).map(j -> j % 4).toArray();
        SelectionInput grouped = new SelectionInput(input.responses(), wmdp.scenarioOfItem(), subscenario, null);
        Subset subset = RandomSelection.select(grouped, Budget.itemsPerScenario(10), 3L, null);
        int[][] perGroup = new int[2][4];
        for (int j : subset.items()) {
            perGroup[wmdp.scenarioOfItem()[j]][subscenario[j]]++;
        }
        for (int[] groups : perGroup) {
            assertThat(Arrays.stream(groups).sum()).isEqualTo(10);
            assertThat(Arrays.stream(groups).max().orElseThrow() - Arrays.stream(groups).min().orElseThrow())
                    .isLessThanOrEqualTo(1);
        }
    }
}
