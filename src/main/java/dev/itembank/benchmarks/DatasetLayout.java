package dev.itembank.benchmarks;

import java.util.List;

/**
 * A dataset version without its cells: which models and items it has, and each item's grouping in it.
 *
 * @param benchmarkId the benchmark's database id (for features that reference it)
 */
public record DatasetLayout(String benchmark, long benchmarkId, int version, List<String> models,
        List<String> itemIds, List<String> scenarios, List<String> subscenarios) {
}
