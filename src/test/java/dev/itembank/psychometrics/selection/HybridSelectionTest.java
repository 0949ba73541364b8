package dev.itembank.psychometrics.selection;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.JointMapCalibrator;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A searched subset with a random part, for every searched method on random multi-scenario benchmarks: distinct
 * items, each scenario holding what it declares, the random part where {@link HybridSelection#randomPart} finds it
 * (the last items of each scenario) with its share of the scenario's weight, and drawn apart from the search.
 */
class HybridSelectionTest {

    @Property(tries = 8)
    void searchedSubsetsWithARandomPartHoldDistinctItemsAndTheirDeclaredParts(
            @ForAll @IntRange(min = 1, max = 4) int scenarios, @ForAll @IntRange(min = 10, max = 20) int perScenario,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        SelectionInput input = RaschInput.of(new SplittableRandom(seed), 30, scenarios, 40, false);
        int[] scenarioOfItem = input.scenarioOfItem();
        int items = scenarioOfItem.length;
        double share = 0.3;
        int expectedRandom = (int) Math.floor(share * perScenario);
        expectedRandom = expectedRandom >= HybridSelection.MIN_RANDOM ? expectedRandom : 0;
        for (Selection.Method method : Selection.Method.values()) {
            if (method == Selection.Method.AUTO || Subset.RANDOM_SAMPLES.contains(method.code())) {
                continue;
            }
            Subset subset = HybridSelection.select(input, method, Budget.itemsPerScenario(perScenario), seed, null,
                    share, CalibrationMonitor.NONE);
            String what = method.code() + " with a random part";
            assertThat(Arrays.stream(subset.items()).distinct().count()).as(what + ": items distinct")
                    .isEqualTo(subset.items().length);
            boolean[] part = HybridSelection.randomPart(subset, scenarioOfItem);
            assertThat(part == null).as(what + ": a random part exactly when it has enough items")
                    .isEqualTo(expectedRandom == 0);
            int[] count = new int[scenarios];
            int[] inPart = new int[scenarios];
            double[] weight = new double[scenarios];
            double[] partWeight = new double[scenarios];
            for (int k = 0; k < subset.items().length; k++) {
                int s = scenarioOfItem[subset.items()[k]];
                count[s]++;
                weight[s] += subset.weights()[k];
                if (part != null && part[k]) {
                    inPart[s]++;
                    partWeight[s] += subset.weights()[k];
                }
            }
            for (int s = 0; s < scenarios; s++) {
                assertThat(count[s]).as(what + ": scenario " + s + " holds what it declares")
                        .isEqualTo(subset.budget()[s]);
                assertThat(count[s]).isLessThanOrEqualTo(perScenario);
                assertThat(weight[s]).as(what + ": weights sum to 1 in scenario " + s).isCloseTo(1, within(1e-9));
                if (part != null) {
                    assertThat(inPart[s]).as(what + ": random part of scenario " + s).isEqualTo(expectedRandom);
                    assertThat(partWeight[s]).isCloseTo((double) inPart[s] / count[s], within(1e-9));
                }
            }
            if (part != null && method != Selection.Method.INFORMATION) {
                // the random part is drawn first and alike for every method (the same seed): only the search differs
                Subset again = HybridSelection.select(input, Selection.Method.ANCHOR_CORRECTNESS,
                        Budget.itemsPerScenario(perScenario), seed, null, share, CalibrationMonitor.NONE);
                boolean[] otherPart = HybridSelection.randomPart(again, scenarioOfItem);
                assertThat(IntStream.range(0, part.length).filter(k -> part[k]).map(k -> subset.items()[k]).sorted()
                        .toArray()).isEqualTo(IntStream.range(0, otherPart.length).filter(k -> otherPart[k])
                                .map(k -> again.items()[k]).sorted().toArray());
            }
        }
    }
}
