package dev.itembank.estimates;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.ModelResponses;
import dev.itembank.security.EstimateCharges;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Estimates", description = "Full-benchmark scores of a new model, estimated from its answers on a subset")
@RestController
@org.springframework.validation.annotation.Validated
class EstimateController {

    private final EstimateService service;
    private final Estimates estimates;
    private final ModelResponses parser;
    private final EstimateCharges charges;

    EstimateController(EstimateService service, Estimates estimates, ModelResponses parser, EstimateCharges charges) {
        this.service = service;
        this.estimates = estimates;
        this.parser = parser;
        this.charges = charges;
    }

    @Operation(operationId = "createEstimate", summary = "Estimate a model's full-benchmark scores from its subset answers",
            description = "Body: application/json {\"model\", \"responses\": {\"<item id>\": 0|1|score|null}}, "
                    + "lm-evaluation-harness samples of one task (application/x-ndjson, ?model=&metric=&task=&filter="
                    + "), the lm-eval output folder of the subset run, all tasks at once (application/gzip .tar.gz, "
                    + "application/zip or multipart/form-data files; ?model= when it holds no results file), or a "
                    + "one-model CSV. Answers for items outside the subset are a 422 naming them; a subset item may "
                    + "go unanswered while at least half of its scenario is answered (the interval widens and the "
                    + "answer lists what was missing). Samples whose prompt or document hashes, or n-shot, differ "
                    + "from the benchmark's results are named in the estimate's warnings.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
                    @Content(mediaType = "application/json", schema = @Schema(implementation = Answers.class),
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"model\": "
                                    + "\"org/new-model\", \"responses\": {\"wmdp_bio_17\": 1, \"wmdp_cyber_5\": 0}}")),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")),
                    @Content(mediaType = "application/gzip", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "multipart/form-data", schema = @Schema(type = "object")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string"))}))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the estimate, also at its Location",
            content = @Content(mediaType = "application/json", schema = @Schema(
                    implementation = EstimateService.EstimateView.class)))
    @PostMapping(path = "/api/v1/subsets/{id}/estimates", consumes = {"application/json", "application/x-ndjson",
            "application/gzip", "application/x-gzip", "application/zip", "multipart/form-data", "text/csv"},
            produces = "application/json")
    ResponseEntity<String> create(@PathVariable UUID id,
            @Parameter(hidden = true) @RequestHeader("Content-Type") MediaType contentType,
            @Parameter(description = "nominal coverage of the intervals, in (0, 1)") @RequestParam(defaultValue = "0.9")
            double level,
            @Parameter(description = "model name, for lm-eval samples and CSV") @RequestParam(required = false)
            String model,
            @Parameter(description = "metric field of lm-eval samples (default: acc for one samples file, the "
                    + "sample's own first metric in a folder)") @RequestParam(required = false) String metric,
            @Parameter(description = "lm-eval task, when the samples do not name it") @RequestParam(required = false)
            String task,
            @Parameter(description = "lm-eval filter to keep") @RequestParam(required = false) String filter,
            HttpServletRequest request) throws IOException {
        ModelResponses.Parsed parsed = parser.read(request, contentType,
                new ModelResponses.HarnessOptions(model, metric, task, filter));
        EstimateService.Made made = service.create(id, parsed, level);
        return ResponseEntity.created(URI.create("/api/v1/estimates/" + made.id()))
                .contentType(MediaType.APPLICATION_JSON).body(made.json());
    }

    @Operation(operationId = "createEstimates", summary = "Estimate many models at once (leaderboard backfills)",
            description = "Body as a JSON results upload: {\"models\": [{\"model\", \"responses\": {...}}]}. All "
                    + "or none: a model whose answers do not fit the subset is a 422 naming it, and nothing is "
                    + "published. Each model counts against the key's estimate budget; a batch may hold at most "
                    + "that budget per second.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", schema = @Schema(type = "object"))))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the estimates, in the "
            + "order of the models", content = @Content(mediaType = "application/json", array =
            @io.swagger.v3.oas.annotations.media.ArraySchema(schema = @Schema(
                    implementation = EstimateService.EstimateView.class))))
    @PostMapping(path = "/api/v1/subsets/{id}/estimates/batch", consumes = "application/json",
            produces = "application/json")
    ResponseEntity<String> createAll(@PathVariable UUID id,
            @Parameter(description = "nominal coverage of the intervals, in (0, 1)") @RequestParam(defaultValue = "0.9")
            double level, HttpServletRequest request) throws IOException {
        List<ModelResponses.Parsed> models = parser.readBatch(request);
        charges.charge(request, models.size() - 1);
        List<EstimateService.Made> made = service.createAll(id, models, level);
        return ResponseEntity.status(201).contentType(MediaType.APPLICATION_JSON)
                .body(made.stream().map(EstimateService.Made::json).collect(java.util.stream.Collectors.joining(",",
                        "[", "]")));
    }

    /** One model's answers (documentation of the JSON body). */
    @Schema(name = "EstimateRequest")
    record Answers(String model, java.util.Map<String, Double> responses) {
    }

    /** An estimate as listed: who, when, the overall score with its interval, and where the whole one is. */
    record EstimateSummary(UUID id, String model, Instant createdAt, JsonNode overall, String href) {
    }

    @Operation(operationId = "listEstimates", summary = "List a subset's estimates, newest first")
    @GetMapping(path = "/api/v1/subsets/{id}/estimates", produces = "application/json")
    List<EstimateSummary> list(@PathVariable UUID id,
            @Parameter(description = "only this model's estimates") @RequestParam(required = false) String model,
            @Parameter(description = "at most this many") @RequestParam(defaultValue = "100") @Min(1) @Max(1000)
            int limit) {
        return estimates.list(id, model, limit).stream().map(e -> new EstimateSummary(e.id(), e.model(),
                e.createdAt(), e.overall(), "/api/v1/estimates/" + e.id())).toList();
    }

    @Operation(operationId = "getEstimate", summary = "Get an estimate")
    @GetMapping(path = "/api/v1/estimates/{id}", produces = "application/json")
    ResponseEntity<JsonNode> get(@PathVariable UUID id) {
        JsonNode estimate = estimates.find(id).orElseThrow(() -> ApiException.notFound("estimate", id));
        return ResponseEntity.ok().eTag("\"estimate-" + id + "\"")
                .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).immutable()).body(estimate);
    }
}
