package dev.itembank.benchmarks;

/**
 * Published inside the transaction that writes a new dataset version, so that listeners (auto-refresh) can queue
 * work that lands together with the version or not at all.
 */
public record DatasetVersionCreated(String benchmark, long benchmarkId, int version, String reason) {
}
