package dev.itembank.psychometrics.selection;

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetTest {

    /**
     * Every kind of budget: never more than a scenario has, none in a scenario without items, at least one in every
     * other (but explicit counts, which are exact), and a total spread to exactly its count when it fits.
     */
    @Property(tries = 200)
    void budgetsFitTheScenariosTheyAreGiven(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 300) Integer> list,
            @ForAll @IntRange(min = 1, max = 400) int count, @ForAll @IntRange(min = 1, max = 100) int percent) {
        int[] sizes = list.stream().mapToInt(Integer::intValue).toArray();
        int[] counts = Arrays.stream(sizes).map(size -> (size * 7 + count) % 11).toArray();
        for (Budget budget : List.of(Budget.itemsPerScenario(count), Budget.totalItems(count),
                Budget.fraction(percent / 100.0), Budget.explicit(counts))) {
            int[] given = budget.perScenario(sizes);
            assertThat(given).hasSameSizeAs(sizes);
            for (int s = 0; s < sizes.length; s++) {
                assertThat(given[s]).as("%s scenario %d of %d items", budget, s, sizes[s]).isBetween(0, sizes[s]);
                if (budget instanceof Budget.Explicit) {
                    assertThat(given[s]).isEqualTo(Math.min(counts[s], sizes[s]));
                } else if (sizes[s] > 0) {
                    assertThat(given[s]).as("%s scenario %d of %d items", budget, s, sizes[s]).isPositive();
                }
            }
            long nonEmpty = Arrays.stream(sizes).filter(size -> size > 0).count();
            int all = Arrays.stream(sizes).sum();
            if (budget instanceof Budget.Total && count >= nonEmpty) {
                assertThat(Arrays.stream(given).sum()).isEqualTo(Math.min(count, all));
            }
        }
    }

    /** A scenario whose every item is excluded (the last parallel forms) gets none: it once got one it did not have. */
    @Test
    void aScenarioWithoutItemsGetsNone() {
        assertThat(Budget.totalItems(10).perScenario(new int[] {0, 20})).containsExactly(0, 10);
        assertThat(Budget.fraction(0.5).perScenario(new int[] {0, 20})).containsExactly(0, 10);
        assertThat(Budget.itemsPerScenario(5).perScenario(new int[] {0, 20})).containsExactly(0, 5);
        assertThat(Budget.totalItems(10).perScenario(new int[] {0, 0})).containsExactly(0, 0);
    }
}
