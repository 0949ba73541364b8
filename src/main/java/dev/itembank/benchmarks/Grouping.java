package dev.itembank.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Items' scenarios and sub-scenarios as the science indexes them ({@code SelectionInput}): scenario k is the k-th
 * distinct scenario in column order; sub-scenarios are numbered from 0 within their scenario, in column order.
 *
 * @param scenarioNames the distinct scenarios, in order of first appearance
 * @param scenarioOfItem each column's scenario index
 * @param subscenarioOfItem each column's sub-scenario index within its scenario
 */
public record Grouping(List<String> scenarioNames, int[] scenarioOfItem, int[] subscenarioOfItem) {

    public static Grouping of(List<String> scenarios, List<String> subscenarios) {
        Map<String, Integer> scenarioIndex = new HashMap<>();
        Map<String, Integer> subscenarioIndex = new HashMap<>();
        List<Integer> subscenarioCounts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[] scenarioOf = new int[scenarios.size()];
        int[] subscenarioOf = new int[scenarios.size()];
        for (int j = 0; j < scenarios.size(); j++) {
            String scenario = scenarios.get(j);
            int s = scenarioIndex.computeIfAbsent(scenario, name -> {
                names.add(name);
                subscenarioCounts.add(0);
                return names.size() - 1;
            });
            scenarioOf[j] = s;
            subscenarioOf[j] = subscenarioIndex.computeIfAbsent(scenario + '\u0000' + subscenarios.get(j), key -> {
                subscenarioCounts.set(s, subscenarioCounts.get(s) + 1);
                return subscenarioCounts.get(s) - 1;
            });
        }
        return new Grouping(List.copyOf(names), scenarioOf, subscenarioOf);
    }

    public static Grouping of(Dataset dataset) {
        return of(dataset.scenarios(), dataset.subscenarios());
    }

    public static Grouping of(DatasetLayout layout) {
        return of(layout.scenarios(), layout.subscenarios());
    }
}
