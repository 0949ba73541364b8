package dev.itembank.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.itembank.api.ApiException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes new dataset versions. Each write runs in one transaction that holds the benchmark's row lock, so an
 * upload lands whole or not at all and concurrent uploads get consecutive version numbers.
 */
@Component
class DatasetWriter {

    private final Benchmarks benchmarks;
    private final ItemCatalog items;
    private final DatasetVersions versions;
    private final ApplicationEventPublisher events;
    private final HarnessRuns runs;
    private final io.micrometer.core.instrument.DistributionSummary uploadedCells;

    DatasetWriter(Benchmarks benchmarks, ItemCatalog items, DatasetVersions versions,
            ApplicationEventPublisher events, HarnessRuns runs, io.micrometer.core.instrument.MeterRegistry meters) {
        this.runs = runs;
        this.benchmarks = benchmarks;
        this.items = items;
        this.versions = versions;
        this.events = events;
        this.uploadedCells = io.micrometer.core.instrument.DistributionSummary.builder("itembank.uploads.cells")
                .description("cells (models x items) per accepted result upload").baseUnit("cells")
                .register(meters);
    }

    /** How an upload treats a model the latest version already has. */
    enum Mode {
        /** Per cell: the upload's items are added to the model's row or replace the same items' old values. */
        MERGE,
        /** The uploaded row replaces the model's whole row (items not in the upload are dropped for it). */
        REPLACE;

        static Mode parse(String text) {
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(text)) {
                    return mode;
                }
            }
            throw ApiException.invalid("mode must be 'merge' or 'replace', not '" + text + "'",
                    Map.of("parameter", "mode"));
        }
    }

    /**
     * A new version: the previous version's rows, with uploaded models appended, or for models it already has,
     * merged per cell into their rows ({@link Mode#MERGE}) or replacing them ({@link Mode#REPLACE}).
     */
    @Transactional
    Committed commitResults(String name, ResultsUpload upload, Mode mode) {
        uploadedCells.record((double) upload.models.size() * upload.itemIds.size());
        Benchmark benchmark = lock(name);
        if (!upload.provenance.isEmpty()) {
            upload.warnings.addAll(runs.warnings(benchmark.id(), upload.provenance));
            runs.record(benchmark.id(), upload.provenance);
        }
        List<CatalogItem> catalogue = new ArrayList<>(items.load(benchmark.id()));
        int[] ordinals = items.resolve(benchmark.id(), name, upload.itemIds, upload.hints, catalogue);
        int width = catalogue.size();
        List<PackedRow> rows = new ArrayList<>(upload.rows.stream().map(row -> row.remap(ordinals, width)).toList());

        Optional<DatasetVersions.StoredVersion> previous = latest(benchmark);
        List<DatasetVersions.RowInfo> previousRows = List.of();
        if (previous.isPresent()) {
            // a new version builds on the previous one: never on one that lost rows or changed
            String owner = VersionRef.path(name, previous.get().version());
            previousRows = versions.rowInfos(previous.get().rowIds(), owner);
            DatasetVersions.verify(previous.get(), previous.get().snapshot().itemIds(catalogue), previousRows, owner);
        }
        Map<String, Integer> uploaded = new HashMap<>();
        for (int i = 0; i < upload.models.size(); i++) {
            uploaded.put(upload.models.get(i), i);
        }
        long cellsAdded = 0;
        long cellsReplaced = 0;
        if (mode == Mode.MERGE && previous.isPresent()) {
            long[] existing = previousRows.stream().filter(row -> uploaded.containsKey(row.model()))
                    .mapToLong(DatasetVersions.RowInfo::id).toArray();
            long[] counts = new long[2];
            versions.forEachRow(existing, VersionRef.path(name, previous.get().version()), old -> {
                int index = uploaded.get(old.model());
                PackedRow newer = rows.get(index);
                int overlap = old.cells().overlap(newer);
                counts[0] += newer.answered() - overlap;
                counts[1] += overlap;
                rows.set(index, old.cells().overlay(newer));
            });
            cellsAdded = counts[0];
            cellsReplaced = counts[1];
            Map<String, Integer> merged = new HashMap<>(uploaded);
            previousRows.forEach(row -> merged.remove(row.model()));
            for (int index : merged.values()) {
                cellsAdded += rows.get(index).answered();
            }
        } else {
            for (PackedRow row : rows) {
                cellsAdded += row.answered();
            }
        }
        List<RowCodec.Encoded> encoded = rows.stream().map(RowCodec::encode).toList();
        long[] newIds = versions.insertRows(benchmark.id(), upload.models, encoded, rows);

        List<Long> rowIds = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        for (DatasetVersions.RowInfo row : previousRows) {
            Integer index = uploaded.remove(row.model());
            if (index == null) {
                rowIds.add(row.id());
            } else {
                rowIds.add(newIds[index]);
                replaced.add(row.model());
            }
        }
        List<String> added = new ArrayList<>();
        for (int i = 0; i < upload.models.size(); i++) {
            if (uploaded.containsKey(upload.models.get(i))) {
                rowIds.add(newIds[i]);
                added.add(upload.models.get(i));
            }
        }
        int[] columns = VersionSnapshot.union(previous.map(v -> v.snapshot().columns()).orElse(new int[0]), ordinals);
        String reason = "results: " + added.size() + " added, " + replaced.size()
                + (mode == Mode.MERGE ? " merged (" + cellsAdded + " cells added, " + cellsReplaced + " replaced)"
                : " replaced");
        Views.Cells cells = new Views.Cells(mode.name().toLowerCase(java.util.Locale.ROOT), cellsAdded,
                cellsReplaced);
        long[] ids = rowIds.stream().mapToLong(Long::longValue).toArray();
        VersionSnapshot snapshot = VersionSnapshot.of(columns, catalogue);
        if (previous.isPresent() && added.isEmpty()) {
            List<DatasetVersions.RowInfo> candidate = versions.rowInfos(ids, name + " (the new version)");
            if (DatasetVersions.contentHash(snapshot, snapshot.itemIds(catalogue), candidate)
                    .equals(previous.get().contentHash())) {
                // the upload repeats what the latest version holds: no new version, its rows are not kept
                versions.deleteRows(newIds);
                return new Committed(VersionViews.of(name, previous.get(), previousRows),
                        new Views.Cells(cells.mode(), 0, 0), false);
            }
        }
        return new Committed(publish(benchmark, ids, snapshot, catalogue, added, replaced, reason), cells, true);
    }

    /** The version an upload landed in, and whether the upload made it (false: it repeated the latest one). */
    record Committed(Views.VersionView version, Views.Cells cells, boolean created) {
    }

    /** Declares or updates items; a new version follows when the latest one's grouping of items changes. */
    @Transactional
    Views.ItemsUpdate declareItems(String name, List<CatalogItem> declared) {
        Benchmark benchmark = lock(name);
        List<CatalogItem> catalogue = new ArrayList<>(items.load(benchmark.id()));
        Map<String, CatalogItem> byId = ItemCatalog.byId(catalogue);
        List<CatalogItem> inserts = new ArrayList<>();
        List<CatalogItem> updates = new ArrayList<>();
        for (CatalogItem item : declared) {
            CatalogItem existing = byId.get(item.itemId());
            int ordinal = existing == null ? catalogue.size() : existing.ordinal();
            CatalogItem placed = new CatalogItem(ordinal, item.itemId(), item.scenario(), item.subscenario(),
                    item.text(), item.metadataJson(), true);
            if (existing == null) {
                catalogue.add(placed);
                inserts.add(placed);
            } else {
                catalogue.set(ordinal, placed);
                updates.add(placed);
            }
        }
        List<CatalogItem> changed = new ArrayList<>(inserts);
        changed.addAll(updates);
        items.save(benchmark.id(), catalogue, changed);
        boolean newVersion = false;
        Optional<DatasetVersions.StoredVersion> previous = latest(benchmark);
        if (previous.isPresent()) {
            VersionSnapshot regrouped = VersionSnapshot.of(previous.get().snapshot().columns(), catalogue);
            if (!regrouped.sameGroupingAs(previous.get().snapshot())) {
                publish(benchmark, previous.get().rowIds(), regrouped, catalogue, List.of(), List.of(),
                        "items: scenarios or sub-scenarios changed");
                newVersion = true;
            }
        }
        return new Views.ItemsUpdate(name, catalogue.size(), inserts.size(), updates.size(),
                benchmark.latestVersion(), newVersion);
    }

    private Views.VersionView publish(Benchmark benchmark, long[] rowIds, VersionSnapshot snapshot,
            List<CatalogItem> catalogue, List<String> added, List<String> replaced, String reason) {
        List<DatasetVersions.RowInfo> rows = versions.rowInfos(rowIds, benchmark.name() + " (the new version)");
        boolean binary = rows.stream().allMatch(row -> row.encoding() == RowCodec.BINARY);
        String hash = DatasetVersions.contentHash(snapshot, snapshot.itemIds(catalogue), rows);
        int number = benchmark.nextVersion();
        DatasetVersions.StoredVersion version = new DatasetVersions.StoredVersion(benchmark.id(), number, rowIds,
                snapshot, binary, added, replaced, reason, hash, Instant.now());
        versions.insert(version, rows.size());
        benchmarks.save(benchmark);
        events.publishEvent(new DatasetVersionCreated(benchmark.name(), benchmark.id(), number, reason));
        return VersionViews.of(benchmark.name(), version, rows);
    }

    private Benchmark lock(String name) {
        return benchmarks.lockByName(name).orElseThrow(() -> ApiException.notFound("benchmark", name));
    }

    private Optional<DatasetVersions.StoredVersion> latest(Benchmark benchmark) {
        return benchmark.latestVersion() == 0 ? Optional.empty()
                : versions.find(benchmark.id(), benchmark.latestVersion());
    }
}
