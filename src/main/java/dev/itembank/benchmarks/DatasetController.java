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

    static final String NDJSON = "application/x-ndjson";
    private final Benchmarks benchmarks;
    private final DatasetVersions versions;
    private final ItemCatalog items;
    private final DatasetWriter writer;
    private final UploadProperties uploads;

    DatasetController(Benchmarks benchmarks, DatasetVersions versions, ItemCatalog items, DatasetWriter writer,
            UploadProperties uploads) {
        this.benchmarks = benchmarks;
        this.versions = versions;
        this.items = items;
        this.writer = writer;
        this.uploads = uploads;
    }

    @Operation(operationId = "uploadResults", summary = "Upload results as a new dataset version",
            description = "text/csv wide (model,<item ids...>) or long (model,item_id,score); application/json "
                    + "{\"models\":[{\"model\":..., \"responses\":{item: score}}]}; application/x-ndjson "
                    + "lm-evaluation-harness samples with ?model=&metric=acc&task=&filter=. Any of them may be "
                    + "gzip-compressed (Content-Encoding: gzip). The upload lands whole or not at all.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
                    @Content(mediaType = "application/json", schema = @Schema(type = "object")),
                    @Content(mediaType = NDJSON, schema = @Schema(type = "string"))}))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the new dataset version",
            useReturnTypeSchema = true)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the upload repeats the "
            + "latest version exactly: no new version is made; this is the latest one", useReturnTypeSchema = true)
    @PostMapping(path = "/results", consumes = {"text/csv", "application/json", NDJSON},
            produces = "application/json")
    ResponseEntity<Views.VersionView> upload(@PathVariable String name,
            @Parameter(hidden = true) @RequestHeader("Content-Type") MediaType contentType,
            @Parameter(description = "model name, for lm-eval samples") @RequestParam(required = false) String model,
            @Parameter(description = "metric field of lm-eval samples") @RequestParam(defaultValue = "acc")
            String metric,
            @Parameter(description = "lm-eval task, when the samples do not name it") @RequestParam(required = false)
            String task,
            @Parameter(description = "lm-eval filter to keep") @RequestParam(required = false) String filter,
            HttpServletRequest request) throws IOException {
        find(name);
        ResultsUpload upload;
        try (InputStream body = UploadBody.open(request, uploads.maxSize())) {
            if (contentType.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                upload = JsonResultsParser.parse(body);
            } else if (contentType.isCompatibleWith(MediaType.parseMediaType(NDJSON))) {
                upload = HarnessSamplesParser.parse(UploadBody.reader(body),
                        new HarnessSamplesParser.Options(model, metric, task, filter));
            } else {
                upload = CsvResultsParser.parse(UploadBody.reader(body));
            }
            UploadBody.finish(body);
        }
        DatasetWriter.Committed committed = writer.commitResults(name, upload);
        URI location = URI.create("/api/v1/benchmarks/" + name + "/versions/" + committed.version().version());
        return committed.created() ? ResponseEntity.created(location).body(committed.version())
                : ResponseEntity.ok().header("Content-Location", location.toString()).body(committed.version());
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
        List<String> itemIds = stored.snapshot().itemIds(items.load(benchmark.id()));
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
            views.add(new Views.ItemView(itemIds.get(c), snapshot.scenarios()[c],
                    subscenario.isEmpty() ? null : subscenario));
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
