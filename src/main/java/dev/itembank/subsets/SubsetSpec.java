package dev.itembank.subsets;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.itembank.api.ApiException;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.Selection;

/**
 * A subset request with its defaults filled in, as the job stores it.
 *
 * @param benchmark the benchmark's name
 * @param calibration the calibration the subset is made from (and estimates are read with)
 * @param method a {@link Selection.Method} code
 * @param itemsPerScenario items per scenario, or null when {@code totalItems} is given
 * @param totalItems items in all, spread over scenarios by size, or null
 * @param seed the selection's seed
 * @param forms how many disjoint parallel forms to make
 * @param nestedIntervals whether the estimators' residuals refit calibration and selection per fold (honest
 *        intervals, about five times the work) or reuse the published ones
 */
public record SubsetSpec(String benchmark, UUID calibration, String method, Integer itemsPerScenario,
        Integer totalItems, long seed, int forms, boolean nestedIntervals) {

    static final int DEFAULT_ITEMS_PER_SCENARIO = 100;
    static final int MAX_FORMS = 10;

    /** The request body; every field optional. */
    @Schema(name = "SubsetRequest", description = "A subset selection; every field optional")
    public record Request(
            @Schema(description = "the calibration's id (default: the benchmark's latest)") String calibration,
            @Schema(allowableValues = {"auto", "random", "stratified", "anchor-correctness", "anchor-irt",
                    "information", "genetic", "rank-correlation", "stepwise"}, example = "auto", description = "auto backtests every method and keeps "
                    + "the best") String method,
            @Schema(example = "100") Integer itemsPerScenario,
            @Schema(description = "a total budget instead of a per-scenario one") Integer totalItems,
            @Schema(example = "0") Long seed,
            @Schema(example = "1", description = "disjoint parallel forms (1 to 10)") Integer forms,
            Boolean nestedIntervals) {
    }

    /** Validates everything but the calibration (checked against the store by the caller). */
    static SubsetSpec of(String benchmark, UUID calibration, Request request) {
        String method = request.method() == null ? Selection.Method.AUTO.code() : request.method();
        try {
            method = Selection.Method.parse(method).code();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage(), Map.of("field", "method"));
        }
        if (request.itemsPerScenario() != null && request.totalItems() != null) {
            throw ApiException.invalid("give itemsPerScenario or totalItems, not both", Map.of("field", "totalItems"));
        }
        Integer perScenario = request.itemsPerScenario();
        if (perScenario == null && request.totalItems() == null) {
            perScenario = DEFAULT_ITEMS_PER_SCENARIO;
        }
        if (perScenario != null && perScenario < 1) {
            throw ApiException.invalid("itemsPerScenario must be >= 1, got " + perScenario,
                    Map.of("field", "itemsPerScenario"));
        }
        if (request.totalItems() != null && request.totalItems() < 1) {
            throw ApiException.invalid("totalItems must be >= 1, got " + request.totalItems(),
                    Map.of("field", "totalItems"));
        }
        int forms = request.forms() == null ? 1 : request.forms();
        if (forms < 1 || forms > MAX_FORMS) {
            throw ApiException.invalid("forms must be from 1 to " + MAX_FORMS + ", got " + forms,
                    Map.of("field", "forms"));
        }
        return new SubsetSpec(benchmark, calibration, method, perScenario, request.totalItems(),
                request.seed() == null ? 0L : request.seed(), forms,
                request.nestedIntervals() == null || request.nestedIntervals());
    }

    /**
     * Checks the budget against the scenarios of the calibration's dataset version: a budget must not ask for more
     * items than the benchmark has, and each of several parallel forms must get its whole budget from every
     * scenario (disjoint forms share a scenario's items). A 422 says how many fit.
     */
    void checkFits(dev.itembank.benchmarks.DatasetLayout layout) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        layout.scenarios().forEach(scenario -> counts.merge(scenario, 1, Integer::sum));
        int[] sizes = counts.values().stream().mapToInt(Integer::intValue).toArray();
        int largest = java.util.Arrays.stream(sizes).max().orElse(0);
        if (itemsPerScenario != null && itemsPerScenario > largest) {
            throw ApiException.invalid("itemsPerScenario " + itemsPerScenario + " is more than any scenario holds "
                    + "(the largest has " + largest + " items)", Map.of("field", "itemsPerScenario",
                    "largestScenario", largest));
        }
        if (totalItems != null && totalItems > layout.itemIds().size()) {
            throw ApiException.invalid("totalItems " + totalItems + " is more than the benchmark holds ("
                    + layout.itemIds().size() + " items)", Map.of("field", "totalItems",
                    "items", layout.itemIds().size()));
        }
        if (forms == 1) {
            return;
        }
        int[] budget = budget().perScenario(sizes);
        List<String> names = List.copyOf(counts.keySet());
        for (int s = 0; s < sizes.length; s++) {
            if ((long) budget[s] * forms > sizes[s]) {
                int formsThatFit = sizes[s] / budget[s];
                throw ApiException.invalid(forms + " disjoint forms of " + budget[s] + " items do not fit in scenario "
                        + names.get(s) + ", which has " + sizes[s] + " items: at most " + formsThatFit + " forms of "
                        + "this budget fit, or " + sizes[s] / forms + " items per scenario in " + forms + " forms",
                        Map.of("field", "forms", "scenario", names.get(s), "scenarioItems", sizes[s],
                                "formsThatFit", formsThatFit));
            }
        }
    }

    Budget budget() {
        return itemsPerScenario != null ? Budget.itemsPerScenario(itemsPerScenario) : Budget.totalItems(totalItems);
    }

    Selection.Method selectionMethod() {
        return Selection.Method.parse(method);
    }
}
