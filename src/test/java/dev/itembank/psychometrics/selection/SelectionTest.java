package dev.itembank.psychometrics.selection;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectionTest {

    static WmdpFixture wmdp;
    static SelectionInput input;

    @BeforeAll
    static void calibrate() {
        wmdp = WmdpFixture.load();
        input = wmdp.calibratedInput(3);
    }

    @Test
    void everyMethodGivesTheSameSubsetForTheSameInputAndSeed() {
        // auto is the chosen method's subset (checked below), so its repeatability follows from theirs
        for (Selection.Method method : Selection.Method.values()) {
            if (method == Selection.Method.AUTO) {
                continue;
            }
            Subset first = Selection.select(input, method, Budget.itemsPerScenario(20), 11L, null);
            Subset second = Selection.select(input, method, Budget.itemsPerScenario(20), 11L, null);
            assertThat(second.items()).as(method.code()).containsExactly(first.items());
            assertThat(second.weights()).as(method.code()).containsExactly(first.weights());
            assertThat(first.seed()).isEqualTo(11L);
        }
    }

    @Test
    void autoIsNotASelectionOfItsOwn() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Selection.select(input, Selection.Method.AUTO,
                Budget.itemsPerScenario(20), 5L, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AutoSelection");
    }

    @Test
    void parallelFormsAreDisjointAndEachIsBacktested() {
        for (Selection.Method method : List.of(Selection.Method.RANDOM, Selection.Method.ANCHOR_IRT)) {
            List<Subset> forms = Selection.forms(input, method, Budget.itemsPerScenario(30), 2L, 3);
            assertThat(forms).hasSize(3);
            Set<Integer> seen = new HashSet<>();
            for (int f = 0; f < 3; f++) {
                for (int j : forms.get(f).items()) {
                    assertThat(seen.add(j)).as("item %d in two forms", j).isTrue();
                }
                assertThat(forms.get(f).items()).hasSize(60);
                int form = f + 1;
                assertThat(forms.get(f).diagnostics().notes())
                        .anyMatch(note -> note.startsWith("form " + form + " of 3; backtest MAE "));
            }
        }
    }

    @Test
    void unknownMethodsAreNamedInTheError() {
        assertThatThrownBy(() -> Selection.Method.parse("magic")).hasMessageContaining("magic")
                .hasMessageContaining("anchor-irt");
        assertThat(Selection.Method.parse("Anchor-IRT")).isEqualTo(Selection.Method.ANCHOR_IRT);
    }
}
