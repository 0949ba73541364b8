package dev.itembank.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import dev.itembank.api.ApiException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@Tag(name = "Dataset versions", description = "Result uploads and the immutable dataset versions they make")
@RestController
@RequestMapping("/api/v1/benchmarks/{name}")
class DatasetController {

    static final String NDJSON = ResultsReader.NDJSON;
    private final Benchmarks benchmarks;
    private final DatasetVersions versions;
    private final ItemCatalog items;
    private final DatasetWriter writer;
    private final ResultsReader reader;

    DatasetController(Benchmarks benchmarks, DatasetVersions versions, ItemCatalog items, DatasetWriter writer,
            ResultsReader reader) {
        this.benchmarks = benchmarks;
        this.versions = versions;
        this.items = items;
        this.writer = writer;
        this.reader = reader;
    }

    @Operation(operationId = "uploadResults", summary = "Upload results as a new dataset version",
            description = "text/csv wide (model,<item ids...>) or long (model,item_id,score); application/json "
                    + "{\"models\":[{\"model\":..., \"responses\":{item: score}}]}; application/x-ndjson "
                    + "lm-evaluation-harness samples of one task with ?model=&metric=acc&task=&filter=; a whole "
                    + "lm-evaluation-harness output folder (--output_path with --log_samples) as application/gzip "
                    + "(.tar.gz), application/zip or multipart/form-data files: every model's results and samples "
                    + "files, tasks from the file names, models from the results files (?model= for a one-model "
                    + "folder without one). Text bodies may be gzip-compressed (Content-Encoding: gzip). A model "
                    + "already in the latest version is merged per cell (mode=merge, the default: new items added, "
                    + "re-run items replaced) or replaced whole (mode=replace). The upload lands whole or not at all, "
                    + "as one version.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string"),
                            examples = @ExampleObject(value = "model,q1,q2\norg/a,1,0\norg/b,0,1\n")),
                    @Content(mediaType = "application/json", schema = @Schema(
                            implementation = Views.ResultsBody.class), examples = @ExampleObject(value =
                            "{\"models\": [{\"model\": \"org/a\", \"responses\": {\"q1\": 1, \"q2\": 0}}]}")),
                    @Content(mediaType = NDJSON, schema = @Schema(type = "string")),
                    @Content(mediaType = "application/gzip", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "multipart/form-data", schema = @Schema(type = "object"))}))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the new dataset version",
            useReturnTypeSchema = true)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the upload repeats the "
            + "latest version exactly: no new version is made; this is the latest one", useReturnTypeSchema = true)
    @PostMapping(path = "/results", consumes = {"text/csv", "application/json", NDJSON, "application/gzip",
            "application/x-gzip", "application/zip", "multipart/form-data"}, produces = "application/json")
    ResponseEntity<Views.VersionView> upload(@PathVariable String name,
            @Parameter(hidden = true) @RequestHeader("Content-Type") MediaType contentType,
            @Parameter(description = "model name: for lm-eval samples of one task, or a one-model lm-eval folder "
                    + "without a results file") @RequestParam(required = false) String model,
            @Parameter(description = "metric field of lm-eval samples (default: acc for one samples file; the "
                    + "sample's own first metric in a folder)") @RequestParam(required = false) String metric,
            @Parameter(description = "lm-eval task, for one samples file that does not name it")
            @RequestParam(required = false) String task,
            @Parameter(description = "lm-eval filter to keep") @RequestParam(required = false) String filter,
            @Parameter(description = "merge (default): a model already present keeps its other items' cells; "
                    + "replace: its row is replaced whole", schema = @Schema(allowableValues = {"merge", "replace"}))
            @RequestParam(defaultValue = "merge") String mode,
            HttpServletRequest request) throws IOException {
        find(name);
        DatasetWriter.Mode writeMode = DatasetWriter.Mode.parse(mode);
        ResultsUpload upload = reader.read(request, contentType, new ResultsReader.Options(model, metric, task,
                filter));
        DatasetWriter.Committed committed = writer.commitResults(name, upload, writeMode);
        URI location = URI.create("/api/v1/benchmarks/" + name + "/versions/" + committed.version().version());
        Views.VersionView body = committed.version().asUpload(committed.cells(), upload.imported, upload.warnings);
        return committed.created() ? ResponseEntity.created(location).body(body)
                : ResponseEntity.ok().header("Content-Location", location.toString()).body(body);
    }

    @Operation(operationId = "listVersions", summary = "List dataset versions")
    @GetMapping(path = "/versions", produces = "application/json")
    List<Views.VersionView> list(@PathVariable String name) {
        Benchmark benchmark = find(name);
        return versions.list(benchmark.id()).stream().map(v -> VersionViews.of(name, v, null)).toList();
    }

    @Operation(operationId = "getVersion",
            summary = "Get a dataset version: counts, items per scenario, each model's mean score")
    @GetMapping(path = "/versions/{version}", produces = "application/json")
    ResponseEntity<Views.VersionView> get(@PathVariable String name,
            @Parameter(description = "a version number or 'latest'") @PathVariable String version) {
        VersionRef ref = VersionRef.parse(version);
        Benchmark benchmark = find(name);
        DatasetVersions.StoredVersion stored = resolve(benchmark, ref);
        List<String> itemIds = stored.snapshot().itemIds(items.load(benchmark.id()));
        return cached(ref, stored).body(VersionViews.of(name, stored, verifiedRows(name, stored, itemIds)));
    }

    @Operation(operationId = "getVersionMatrix", summary = "Download a version's matrix as wide CSV (streamed)")
    @GetMapping(path = "/versions/{version}/matrix", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> matrix(@PathVariable String name, @PathVariable String version) {
        VersionRef ref = VersionRef.parse(version);
        Benchmark benchmark = find(name);
        DatasetVersions.StoredVersion stored = resolve(benchmark, ref);
        List<CatalogItem> catalogue = items.load(benchmark.id());
        List<String> itemIds = stored.snapshot().itemIds(catalogue);
        int[] columns = stored.snapshot().columns();
        verifiedRows(name, stored, itemIds); // before the first byte: a damaged version is a 500, not a short 200
        String owner = VersionRef.path(name, stored.version());
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            MatrixCsv.header(writer, itemIds);
            try {
                versions.forEachRow(stored.rowIds(), owner, row -> {
                    try {
                        MatrixCsv.row(writer, row.model(), row.cells(), columns);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            writer.flush();
        };
        return cached(ref, stored)
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"" + name + "-v" + stored.version() + ".csv\"")
                .body(body);
    }

    @Operation(operationId = "getVersionItems",
            summary = "A version's items with the scenario and sub-scenario each had in it")
    @GetMapping(path = "/versions/{version}/items", produces = {"application/json", "text/csv"})
    ResponseEntity<?> versionItems(@PathVariable String name, @PathVariable String version,
            @Parameter(hidden = true) @RequestHeader(name = "Accept", required = false) String accept) {
        VersionRef ref = VersionRef.parse(version);
        Benchmark benchmark = find(name);
        DatasetVersions.StoredVersion stored = resolve(benchmark, ref);
        List<CatalogItem> catalogue = items.load(benchmark.id());
        List<String> itemIds = stored.snapshot().itemIds(catalogue);
        VersionSnapshot snapshot = stored.snapshot();
        if (accept != null && accept.contains("text/csv") && !accept.contains("application/json")) {
            StringBuilder csv = new StringBuilder("item_id,scenario,subscenario\n");
            for (int c = 0; c < snapshot.size(); c++) {
                csv.append(MatrixCsv.field(itemIds.get(c))).append(',').append(MatrixCsv.field(snapshot.scenarios()[c]))
                        .append(',').append(MatrixCsv.field(snapshot.subscenarios()[c])).append('\n');
            }
            return cached(ref, stored).contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .body(csv.toString());
        }
        List<Views.ItemView> views = new java.util.ArrayList<>(snapshot.size());
        for (int c = 0; c < snapshot.size(); c++) {
            String subscenario = snapshot.subscenarios()[c];
            String text = catalogue.get(snapshot.columns()[c]).text();
            views.add(new Views.ItemView(itemIds.get(c), snapshot.scenarios()[c],
                    subscenario.isEmpty() ? null : subscenario, text == null || text.isEmpty() ? null : text));
        }
        return cached(ref, stored).contentType(MediaType.APPLICATION_JSON).body(views);
    }

    /** The version's rows, checked against the content hash it was written with. */
    private List<DatasetVersions.RowInfo> verifiedRows(String name, DatasetVersions.StoredVersion stored,
            List<String> itemIds) {
        String owner = VersionRef.path(name, stored.version());
        List<DatasetVersions.RowInfo> rows = versions.rowInfos(stored.rowIds(), owner);
        DatasetVersions.verify(stored, itemIds, rows, owner);
        return rows;
    }

    private static ResponseEntity.BodyBuilder cached(VersionRef ref, DatasetVersions.StoredVersion stored) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.ok().eTag("\"" + stored.contentHash() + "\"");
        return ref.isLatest() ? builder.cacheControl(CacheControl.noCache())
                : builder.cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePublic()
                        .immutable());
    }

    private DatasetVersions.StoredVersion resolve(Benchmark benchmark, VersionRef ref) {
        int number = ref.isLatest() ? benchmark.latestVersion() : ref.number();
        return versions.find(benchmark.id(), number).orElseThrow(() -> ApiException.notFound("version",
                benchmark.name() + "/versions/" + (ref.isLatest() ? "latest" : number)));
    }

    private Benchmark find(String name) {
        return benchmarks.require(name);
    }
}
