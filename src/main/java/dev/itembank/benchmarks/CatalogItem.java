package dev.itembank.benchmarks;

/** An item of a benchmark's catalogue: its permanent ordinal (packed rows index cells by it) and grouping. */
record CatalogItem(int ordinal, String itemId, String scenario, String subscenario, String text,
        String metadataJson, boolean declared) {
}
