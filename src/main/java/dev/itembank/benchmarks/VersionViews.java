package dev.itembank.benchmarks;

import java.util.List;

/** Builds {@link Views.VersionView}s from stored versions. */
final class VersionViews {

    private VersionViews() {
    }

    static Views.VersionView of(String benchmark, DatasetVersions.StoredVersion version,
            List<DatasetVersions.RowInfo> rows) {
        List<Views.ModelScore> scores = rows == null ? null : rows.stream()
                .map(row -> new Views.ModelScore(row.model(), row.answered(), row.meanScore()))
                .toList();
        return new Views.VersionView(benchmark, version.version(), version.rowIds().length,
                version.snapshot().size(), version.snapshot().itemsPerScenario(), version.binaryOnly(),
                version.addedModels(), version.replacedModels(), version.reason(), version.createdAt(),
                version.contentHash(), scores, null, null, null);
    }
}
