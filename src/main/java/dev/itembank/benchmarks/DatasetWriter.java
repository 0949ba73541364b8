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
    private final io.micrometer.core.instrument.DistributionSummary uploadedCells;

    DatasetWriter(Benchmarks benchmarks, ItemCatalog items, DatasetVersions versions,
            ApplicationEventPublisher events, io.micrometer.core.instrument.MeterRegistry meters) {
        this.benchmarks = benchmarks;
        this.items = items;
        this.versions = versions;
        this.events = events;
        this.uploadedCells = io.micrometer.core.instrument.DistributionSummary.builder("itembank.uploads.cells")
                .description("cells (models x items) per accepted result upload").baseUnit("cells")
                .register(meters);
    }

    /** A new version: the previous version's rows, with uploaded models replacing theirs or appended. */
    @Transactional
    Committed commitResults(String name, ResultsUpload upload) {
        uploadedCells.record((double) upload.models.size() * upload.itemIds.size());
        Benchmark benchmark = lock(name);
        List<CatalogItem> catalogue = new ArrayList<>(items.load(benchmark.id()));
        int[] ordinals = items.resolve(benchmark.id(), name, upload.itemIds, upload.scenarioHints, catalogue);
        int width = catalogue.size();
        List<PackedRow> rows = upload.rows.stream().map(row -> row.remap(ordinals, width)).toList();
        List<RowCodec.Encoded> encoded = rows.stream().map(RowCodec::encode).toList();
        long[] newIds = versions.insertRows(benchmark.id(), upload.models, encoded, rows);

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
        String reason = "results: " + added.size() + " added, " + replaced.size() + " replaced";
        long[] ids = rowIds.stream().mapToLong(Long::longValue).toArray();
        VersionSnapshot snapshot = VersionSnapshot.of(columns, catalogue);
        if (previous.isPresent() && added.isEmpty()) {
            List<DatasetVersions.RowInfo> candidate = versions.rowInfos(ids, name + " (the new version)");
            if (DatasetVersions.contentHash(snapshot, snapshot.itemIds(catalogue), candidate)
                    .equals(previous.get().contentHash())) {
                // the upload repeats what the latest version holds: no new version, its rows are not kept
                versions.deleteRows(newIds);
                return new Committed(VersionViews.of(name, previous.get(), previousRows), false);
            }
        }
        return new Committed(publish(benchmark, ids, snapshot, catalogue, added, replaced, reason), true);
    }

    /** The version an upload landed in, and whether the upload made it (false: it repeated the latest one). */
    record Committed(Views.VersionView version, boolean created) {
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
