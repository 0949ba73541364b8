package dev.itembank.psychometrics.selection;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.JointMapCalibrator;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every method, on random multi-scenario benchmarks with many tied items (items every model answers alike, the
 * ones that once made two anchor clusters share an item), gives subsets whose items are distinct, within their
 * scenario's budget exactly, and parallel forms that never share an item.
 */
class DistinctSubsetsPropertyTest {

    @Property(tries = 12)
    void everyMethodsSubsetsHoldDistinctItems(@ForAll @IntRange(min = 2, max = 6) int scenarios,
            @ForAll @IntRange(min = 2, max = 12) int perScenario, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        SelectionInput input = RaschInput.of(new SplittableRandom(seed), 30, scenarios, 25, true);
        int[] scenarioOfItem = input.scenarioOfItem();
        int items = scenarioOfItem.length;
        Budget budget = Budget.itemsPerScenario(perScenario);
        for (Selection.Method method : Selection.Method.values()) {
            if (method == Selection.Method.AUTO) {
                continue; // not a selection of its own: one of the others' subsets (EstimationModelTest)
            }
            Subset subset = Selection.select(input, method, budget, seed, null);
            assertThat(Arrays.stream(subset.items()).distinct().count()).as(method.code() + " items distinct")
                    .isEqualTo(subset.items().length);
            int[] count = new int[scenarios];
            for (int j : subset.items()) {
                count[scenarioOfItem[j]]++;
            }
            for (int s = 0; s < scenarios; s++) {
                assertThat(count[s]).as(method.code() + " scenario " + s + " holds what it declares")
                        .isEqualTo(subset.budget()[s]);
                if (method == Selection.Method.INFORMATION) {
                    // metabench tunes the size (RMSE + lambda |subset|) up to the budget, and says so in its notes
                    assertThat(count[s]).isBetween(1, perScenario);
                    assertThat(subset.diagnostics().notes().get(s)).endsWith(count[s] + " items");
                } else {
                    assertThat(count[s]).as(method.code() + " scenario " + s + " holds its budget")
                            .isEqualTo(perScenario);
                }
            }
        }
        for (Selection.Method method : List.of(Selection.Method.ANCHOR_CORRECTNESS, Selection.Method.ANCHOR_IRT)) {
            List<Subset> forms = Selection.forms(input, method, budget, seed, 2);
            int[] all = forms.stream().flatMapToInt(form -> Arrays.stream(form.items())).toArray();
            assertThat(Arrays.stream(all).distinct().count()).as(method.code() + " forms disjoint, items distinct")
                    .isEqualTo(all.length);
        }
    }
}
