package dev.itembank.subsets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.MatrixCsv;
import dev.itembank.api.ProblemType;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.calibrations.Calibrations;
import dev.itembank.jobs.JobAccepted;
import dev.itembank.jobs.Jobs;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Subsets", description = "Tiny item subsets to evaluate new models on, published by subset jobs")
@RestController
class SubsetController {

    private final Datasets datasets;
    private final Calibrations calibrations;
    private final Subsets subsets;
    private final Jobs jobs;

    private final LmEvalExport lmEval;

    SubsetController(Datasets datasets, Calibrations calibrations, Subsets subsets, Jobs jobs, LmEvalExport lmEval) {
        this.lmEval = lmEval;
        this.datasets = datasets;
        this.calibrations = calibrations;
        this.subsets = subsets;
        this.jobs = jobs;
    }

    @Operation(operationId = "createSubset", summary = "Queue a subset selection",
            description = "The body is required; every field in it is optional: calibration = the benchmark's latest, method auto, 100 items "
                    + "per scenario, seed 0, one form, nested intervals. Answers 202 with the job's Location; the "
                    + "job's result is the (first) subset.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "the subset job is queued; follow its Location",
            useReturnTypeSchema = true)
    @PostMapping(path = "/api/v1/benchmarks/{name}/subsets", consumes = "application/json",
            produces = "application/json")
    ResponseEntity<JobAccepted> create(@PathVariable String name,
            @RequestBody SubsetSpec.Request request) {
        long benchmarkId = datasets.benchmarkId(name);
        UUID calibration = calibration(name, benchmarkId, request.calibration());
        SubsetSpec spec = SubsetSpec.of(name, calibration, request);
        spec.checkFits(datasets.layout(name, calibrations.find(calibration).orElseThrow().datasetVersion()));
        UUID job = jobs.enqueueRequested(SubsetJob.TYPE, benchmarkId, JSON.valueToTree(spec));
        return JobAccepted.response(job, SubsetJob.TYPE);
    }

    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private UUID calibration(String name, long benchmarkId, String given) {
        if (given == null) {
            return calibrations.latest(benchmarkId).orElseThrow(() -> ApiException.invalid("benchmark " + name
                    + " has no calibration yet: POST /api/v1/benchmarks/" + name + "/calibrations first",
                    Map.of("field", "calibration"))).id();
        }
        UUID id;
        try {
            id = UUID.fromString(given);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("calibration must be a calibration id, got '" + given + "'",
                    Map.of("field", "calibration"));
        }
        Calibrations.StoredCalibration calibration = calibrations.find(id).orElseThrow(() -> ApiException.invalid(
                "calibration " + id + " does not exist", Map.of("field", "calibration")));
        if (calibration.benchmarkId() != benchmarkId) {
            throw ApiException.invalid("calibration " + id + " belongs to benchmark " + calibration.spec().benchmark()
                    + ", not " + name, Map.of("field", "calibration"));
        }
        return id;
    }

    record SubsetItem(String itemId, String scenario, double weight) {
    }

    record SubsetView(UUID id, String benchmark, int version, int datasetVersion, UUID calibration, String method,
            JsonNode parameters, long seed, Integer itemsPerScenario, int totalItems, int form, List<String> forms,
            SubsetSpec request, List<SubsetItem> items, JsonNode backtest, JsonNode diagnostics, Instant createdAt,
            Map<String, String> links) {
    }

    record SubsetSummary(UUID id, int version, int datasetVersion, UUID calibration, String method,
            Integer itemsPerScenario, int totalItems, int form, int forms, Instant createdAt, String href) {
    }

    @Operation(operationId = "listSubsets", summary = "List a benchmark's subsets")
    @GetMapping(path = "/api/v1/benchmarks/{name}/subsets", produces = "application/json")
    List<SubsetSummary> list(@PathVariable String name) {
        return subsets.list(datasets.benchmarkId(name)).stream().map(s -> new SubsetSummary(s.id(), s.version(),
                s.datasetVersion(), s.calibration(), s.method(), s.spec().itemsPerScenario(), s.columns().length,
                s.form(), s.forms(), s.createdAt(), "/api/v1/subsets/" + s.id())).toList();
    }

    @Operation(operationId = "getRecommendedSubset", summary = "The subset to use now",
            description = "The benchmark's newest subset (first form) with the requested budget, or its newest of "
                    + "any budget. Not cached: it changes when a newer subset is published; the subset it names "
                    + "never changes (see Content-Location).")
    @GetMapping(path = "/api/v1/benchmarks/{name}/subsets/recommended", produces = "application/json")
    ResponseEntity<SubsetView> recommended(@PathVariable String name,
            @RequestParam(required = false) Integer itemsPerScenario,
            @RequestParam(required = false) Integer totalItems) {
        Subsets.StoredSubset subset = subsets.recommended(datasets.benchmarkId(name), itemsPerScenario, totalItems)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "benchmark " + name + " has no subset"
                        + (itemsPerScenario != null ? " with " + itemsPerScenario + " items per scenario"
                        : totalItems != null ? " of " + totalItems + " items" : "") + " yet",
                        Map.of("resource", "subset", "benchmark", name)));
        return ResponseEntity.ok().cacheControl(CacheControl.noCache())
                .header("Content-Location", "/api/v1/subsets/" + subset.id()).body(view(subset));
    }

    @Operation(operationId = "getSubset", summary = "Get a subset: its items and weights, how it was made, its backtest",
            description = "?format=lm-eval gives the JSON that lm_eval --samples takes ({\"<task>\": [doc ids]}), "
                    + "?format=lm-eval-command a ready lm_eval command line (text/plain) for the subset. Items map "
                    + "to lm-eval by their declared task and doc_id metadata (items CSV columns) or ids "
                    + "<task>/<doc_id> (harness imports); a subset with an unmapped item gets a 406 naming them.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the subset (json), "
            + "its --samples (lm-eval) or command line (lm-eval-command)", content = {
            @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema =
                    @io.swagger.v3.oas.annotations.media.Schema(implementation = SubsetView.class)),
            @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/plain", schema =
                    @io.swagger.v3.oas.annotations.media.Schema(type = "string"))})
    @GetMapping(path = "/api/v1/subsets/{id}", produces = {"application/json", "text/plain"})
    ResponseEntity<?> get(@PathVariable UUID id,
            @Parameter(description = "json (default), lm-eval or lm-eval-command", schema =
                    @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"json", "lm-eval",
                            "lm-eval-command"})) @RequestParam(defaultValue = "json") String format,
            @Parameter(description = "for lm-eval-command: the model's pretrained= argument")
            @RequestParam(required = false) String model) {
        Subsets.StoredSubset subset = subsets.require(id);
        return switch (format) {
            case "json" -> immutable(subset).contentType(MediaType.APPLICATION_JSON).body(view(subset));
            case "lm-eval" -> immutable(subset).contentType(MediaType.APPLICATION_JSON).body(lmEval.samples(subset));
            case "lm-eval-command" -> immutable(subset).contentType(new MediaType("text", "plain",
                    StandardCharsets.UTF_8)).body(lmEval.command(subset, model));
            default -> throw ApiException.invalid("format must be json, lm-eval or lm-eval-command, got '" + format
                    + "'", Map.of("parameter", "format"));
        };
    }

    @Operation(operationId = "getSubsetItemsCsv", summary = "A subset's items as CSV: item_id,scenario,weight")
    @GetMapping(path = "/api/v1/subsets/{id}/items.csv", produces = "text/csv")
    ResponseEntity<String> itemsCsv(@PathVariable UUID id) {
        Subsets.StoredSubset subset = subsets.require(id);
        StringBuilder csv = new StringBuilder("item_id,scenario,weight\n");
        for (int k = 0; k < subset.itemIds().size(); k++) {
            csv.append(MatrixCsv.field(subset.itemIds().get(k))).append(',').append(MatrixCsv.field(subset.scenarios().get(k))).append(',')
                    .append(subset.weights()[k]).append('\n');
        }
        return immutable(subset).contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"subset-" + id + ".csv\"").body(csv.toString());
    }

    private static ResponseEntity.BodyBuilder immutable(Subsets.StoredSubset subset) {
        return ResponseEntity.ok().eTag("\"subset-" + subset.id() + "\"")
                .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).immutable());
    }

    private SubsetView view(Subsets.StoredSubset s) {
        List<SubsetItem> items = new ArrayList<>(s.itemIds().size());
        for (int k = 0; k < s.itemIds().size(); k++) {
            items.add(new SubsetItem(s.itemIds().get(k), s.scenarios().get(k), s.weights()[k]));
        }
        List<String> forms = subsets.forms(s.jobId()).stream().map(form -> "/api/v1/subsets/" + form).toList();
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/api/v1/subsets/" + s.id());
        links.put("itemsCsv", "/api/v1/subsets/" + s.id() + "/items.csv");
        links.put("lmEval", "/api/v1/subsets/" + s.id() + "?format=lm-eval");
        links.put("lmEvalCommand", "/api/v1/subsets/" + s.id() + "?format=lm-eval-command");
        links.put("estimates", "/api/v1/subsets/" + s.id() + "/estimates");
        links.put("calibration", "/api/v1/calibrations/" + s.calibration());
        return new SubsetView(s.id(), s.spec().benchmark(), s.version(), s.datasetVersion(), s.calibration(),
                s.method(), s.parameters(), s.seed(), s.spec().itemsPerScenario(), s.columns().length, s.form(), forms,
                s.spec(), items, s.backtest(), s.diagnostics(), s.createdAt(), links);
    }
}
