package dev.itembank.benchmarks;

import java.util.ArrayList;
import java.util.List;

import dev.itembank.api.ApiException;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Reads a stored dataset version into a {@link Dataset}, packed rows straight into packed bits. */
@Component
public class Datasets {

    private final Benchmarks benchmarks;
    private final DatasetVersions versions;
    private final ItemCatalog items;
    private final ModelCatalog modelInfo;

    Datasets(Benchmarks benchmarks, DatasetVersions versions, ItemCatalog items, ModelCatalog modelInfo) {
        this.benchmarks = benchmarks;
        this.versions = versions;
        this.items = items;
        this.modelInfo = modelInfo;
    }

    /** The benchmark's database id; 404 when there is no such benchmark. */
    @Transactional(readOnly = true)
    public long benchmarkId(String benchmark) {
        return benchmarks.require(benchmark).id();
    }

    /** The benchmark's latest version number, 0 before its first upload; 404 when there is no such benchmark. */
    @Transactional(readOnly = true)
    public int latestVersion(String benchmark) {
        return benchmarks.require(benchmark).latestVersion();
    }

    /** A version's models, items and grouping, without reading its cells; 404 when it does not exist. */
    @Transactional(readOnly = true)
    public DatasetLayout layout(String benchmark, int version) {
        Benchmark found = benchmarks.require(benchmark);
        DatasetVersions.StoredVersion stored = stored(found, version);
        VersionSnapshot snapshot = stored.snapshot();
        List<String> models = versions.rowInfos(stored.rowIds(), VersionRef.path(benchmark, version)).stream()
                .map(DatasetVersions.RowInfo::model).toList();
        return new DatasetLayout(benchmark, found.id(), version, models, snapshot.itemIds(items.load(found.id())),
                List.of(snapshot.scenarios()), List.of(snapshot.subscenarios()));
    }

    /** Each column's item text in a version (null where the item has none). */
    @Transactional(readOnly = true)
    public List<String> itemTexts(String benchmark, int version) {
        Benchmark found = benchmarks.require(benchmark);
        DatasetVersions.StoredVersion stored = stored(found, version);
        List<CatalogItem> catalogue = items.load(found.id());
        List<String> texts = new ArrayList<>();
        for (int ordinal : stored.snapshot().columns()) {
            String text = catalogue.get(ordinal).text();
            texts.add(text == null || text.isBlank() ? null : text);
        }
        return texts;
    }

    /** Each model's reported full scores ({@code score:<scenario>} metadata), by model and scenario. */
    @Transactional(readOnly = true)
    public java.util.Map<String, java.util.Map<String, Double>> reportedScores(String benchmark) {
        java.util.Map<String, java.util.Map<String, Double>> scores = new java.util.HashMap<>();
        for (Views.ModelInfoView model : modelInfo.list(benchmarks.require(benchmark).id())) {
            if (model.scores() != null && !model.scores().isEmpty()) {
                scores.put(model.model(), model.scores());
            }
        }
        return scores;
    }

    /** The version's number: {@code version} itself, or the latest when null; 404 when there is none. */
    @Transactional(readOnly = true)
    public int resolve(String benchmark, Integer version) {
        Benchmark found = benchmarks.require(benchmark);
        int number = version == null ? found.latestVersion() : version;
        if (number < 1 || number > found.latestVersion()) {
            throw ApiException.notFound("version", benchmark + "/versions/" + (version == null ? "latest" : version));
        }
        return number;
    }

    @Transactional(readOnly = true)
    public Dataset load(String benchmark, int version) {
        Benchmark found = benchmarks.require(benchmark);
        DatasetVersions.StoredVersion stored = stored(found, version);
        VersionSnapshot snapshot = stored.snapshot();
        int[] columns = snapshot.columns();
        int rows = stored.rowIds().length;
        ResponseMatrix.Builder builder = stored.binaryOnly() ? ResponseMatrix.binary(rows, columns.length)
                : ResponseMatrix.continuous(rows, columns.length);
        List<String> models = new ArrayList<>(rows);
        boolean identity = isIdentity(columns);
        long[] observed = new long[ResponseMatrix.words(columns.length)];
        long[] correct = new long[observed.length];
        int[] row = {0};
        versions.forEachRow(stored.rowIds(), VersionRef.path(benchmark, version), stored_row -> {
            PackedRow cells = stored_row.cells();
            int r = row[0]++;
            models.add(stored_row.model());
            if (cells.isBinary() && stored.binaryOnly()) {
                if (identity) {
                    builder.setBinaryRow(r, cells.present, cells.ones);
                } else {
                    gather(cells, columns, observed, correct);
                    builder.setBinaryRow(r, observed, correct);
                }
            } else {
                for (int c = 0; c < columns.length; c++) {
                    builder.set(r, c, cells.value(columns[c]));
                }
            }
        });
        List<String> subscenarios = List.of(snapshot.subscenarios());
        return new Dataset(benchmark, version, builder.build(), models, snapshot.itemIds(items.load(found.id())),
                List.of(snapshot.scenarios()), subscenarios);
    }

    private DatasetVersions.StoredVersion stored(Benchmark benchmark, int version) {
        return versions.find(benchmark.id(), version)
                .orElseThrow(() -> ApiException.notFound("version", benchmark.name() + "/versions/" + version));
    }

    private static boolean isIdentity(int[] columns) {
        for (int c = 0; c < columns.length; c++) {
            if (columns[c] != c) {
                return false;
            }
        }
        return true;
    }

    /** Packed bits of the version's columns, in column order, from a row in ordinal space. */
    private static void gather(PackedRow cells, int[] columns, long[] observed, long[] correct) {
        java.util.Arrays.fill(observed, 0);
        java.util.Arrays.fill(correct, 0);
        for (int c = 0; c < columns.length; c++) {
            int ordinal = columns[c];
            if (cells.has(ordinal)) {
                observed[c >>> 6] |= 1L << c;
                if ((cells.ones[ordinal >>> 6] & (1L << ordinal)) != 0) {
                    correct[c >>> 6] |= 1L << c;
                }
            }
        }
    }
}
