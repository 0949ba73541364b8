package dev.itembank.psychometrics.adaptive;

import java.util.Arrays;

import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.selection.SelectionInput;

/**
 * What an adaptive test draws from: calibrated items, their scenarios and sub-scenarios, the balance weights that
 * define a scenario's full score (the mean over its sub-scenarios of their item means, as fixed subsets read it),
 * and which items may be asked (the scenarios covered, minus items excluded by name, e.g. known contamination).
 *
 * @param eligible per item, whether it may be asked; a scenario is covered when any of its items may
 */
public record AdaptiveDesign(ItemBank bank, int[] scenarioOfItem, int[] subscenarioOfItem, int scenarios,
        double[] balance, boolean[] eligible) {

    public AdaptiveDesign {
        int n = bank.items();
        if (scenarioOfItem.length != n || subscenarioOfItem.length != n || balance.length != n || eligible.length != n) {
            throw new IllegalArgumentException("the grouping, weights and eligibility must cover all " + n + " items");
        }
    }

    /** Every item eligible, balance weights from the grouping. */
    public static AdaptiveDesign of(ItemBank bank, int[] scenarioOfItem, int[] subscenarioOfItem) {
        return of(bank, scenarioOfItem, subscenarioOfItem, SelectionInput.balanceWeights(scenarioOfItem,
                subscenarioOfItem));
    }

    /** Every item eligible, with the given balance weights. */
    public static AdaptiveDesign of(ItemBank bank, int[] scenarioOfItem, int[] subscenarioOfItem, double[] balance) {
        boolean[] eligible = new boolean[bank.items()];
        Arrays.fill(eligible, true);
        return new AdaptiveDesign(bank, scenarioOfItem, subscenarioOfItem,
                Arrays.stream(scenarioOfItem).max().orElse(-1) + 1, balance, eligible);
    }

    /** The same design restricted: only items of {@code covered} scenarios (all when null), none of {@code excluded}. */
    public AdaptiveDesign restricted(boolean[] covered, boolean[] excluded) {
        boolean[] allowed = eligible.clone();
        for (int j = 0; j < allowed.length; j++) {
            allowed[j] &= (covered == null || covered[scenarioOfItem[j]]) && (excluded == null || !excluded[j]);
        }
        return new AdaptiveDesign(bank, scenarioOfItem, subscenarioOfItem, scenarios, balance, allowed);
    }

    /** Per scenario, whether it has items that may be asked (an uncovered scenario gets no estimate). */
    public boolean[] covered() {
        int[] counts = eligibleCounts();
        boolean[] covered = new boolean[scenarios];
        for (int s = 0; s < scenarios; s++) {
            covered[s] = counts[s] > 0;
        }
        return covered;
    }

    /** Per scenario, how many of its items may be asked. */
    public int[] eligibleCounts() {
        int[] counts = new int[scenarios];
        for (int j = 0; j < eligible.length; j++) {
            if (eligible[j]) {
                counts[scenarioOfItem[j]]++;
            }
        }
        return counts;
    }
}
