package dev.itembank.estimates;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.ModelResponses;
import dev.itembank.psychometrics.estimation.ScoreEstimate;
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
class EstimateController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int NAMED = 20;
    private final SubsetEstimators estimators;
    private final Estimates estimates;
    private final ModelResponses parser;

    EstimateController(SubsetEstimators estimators, Estimates estimates, ModelResponses parser) {
        this.estimators = estimators;
        this.estimates = estimates;
        this.parser = parser;
    }

    /** One scenario's (or the overall) estimate, with its interval and what it was read from. */
    record Part(double estimate, double lower, double upper, double level, String estimator,
            Map<String, Double> estimators, int answered, int items) {
    }

    record EstimateView(UUID id, String model, UUID subset, String benchmark, String estimator, double level,
            Map<String, Part> scenarios, Part overall, List<String> missing, Instant createdAt) {
    }

    @Operation(operationId = "createEstimate", summary = "Estimate a model's full-benchmark scores from its subset answers",
            description = "Body: application/json {\"model\", \"responses\": {\"<item id>\": 0|1|score|null}}, "
                    + "lm-evaluation-harness samples (application/x-ndjson, ?model=&metric=&task=&filter=) or a "
                    + "one-model CSV. Answers for items outside the subset are a 422 naming them; a subset item may "
                    + "go unanswered while at least half of its scenario is answered (the interval widens and the "
                    + "answer lists what was missing).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
                    @Content(mediaType = "application/json", schema = @Schema(type = "object")),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string"))}))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the estimate, also at its Location",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = EstimateView.class)))
    @PostMapping(path = "/api/v1/subsets/{id}/estimates", consumes = {"application/json", "application/x-ndjson",
            "text/csv"}, produces = "application/json")
    ResponseEntity<String> create(@PathVariable UUID id,
            @Parameter(hidden = true) @RequestHeader("Content-Type") MediaType contentType,
            @Parameter(description = "nominal coverage of the intervals, in (0, 1)") @RequestParam(defaultValue = "0.9")
            double level,
            @Parameter(description = "model name, for lm-eval samples and CSV") @RequestParam(required = false)
            String model,
            @Parameter(description = "metric field of lm-eval samples") @RequestParam(defaultValue = "acc")
            String metric,
            @Parameter(description = "lm-eval task, when the samples do not name it") @RequestParam(required = false)
            String task,
            @Parameter(description = "lm-eval filter to keep") @RequestParam(required = false) String filter,
            HttpServletRequest request) throws IOException {
        if (!(level > 0 && level < 1)) {
            throw ApiException.invalid("level must be in (0, 1), got " + level, Map.of("parameter", "level"));
        }
        SubsetEstimators.Loaded loaded = estimators.get(id);
        ModelResponses.Parsed parsed = parser.read(request, contentType,
                new ModelResponses.HarnessOptions(model, metric, task, filter));
        double[] answers = answers(loaded, parsed);
        Coverage coverage = Coverage.of(loaded, answers);
        coverage.requireHalf(loaded.scenarioNames());
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < answers.length; k++) {
            if (Double.isNaN(answers[k])) {
                missing.add(loaded.subset().itemIds().get(k));
            }
        }
        ScoreEstimate estimate = loaded.model().estimate(answers, level);
        UUID estimateId = UUID.randomUUID();
        EstimateView view = view(estimateId, parsed.model(), loaded, estimate, coverage, level, missing);
        Map<String, Double> stored = new LinkedHashMap<>();
        parsed.responses().forEach((item, score) -> stored.put(item, Double.isNaN(score) ? null : score));
        // serialised once: the same text is stored and answered
        String json = JSON.writeValueAsString(view);
        estimates.insert(estimateId, id, parsed.model(), stored, json);
        return ResponseEntity.created(URI.create("/api/v1/estimates/" + estimateId))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(json);
    }

    @Operation(operationId = "getEstimate", summary = "Get an estimate")
    @GetMapping(path = "/api/v1/estimates/{id}", produces = "application/json")
    ResponseEntity<JsonNode> get(@PathVariable UUID id) {
        JsonNode estimate = estimates.find(id).orElseThrow(() -> ApiException.notFound("estimate", id));
        return ResponseEntity.ok().eTag("\"estimate-" + id + "\"")
                .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).immutable()).body(estimate);
    }

    /** The answers in subset order (NaN = unanswered); 422 naming answered items that are not in the subset. */
    private static double[] answers(SubsetEstimators.Loaded loaded, ModelResponses.Parsed parsed) {
        double[] answers = new double[loaded.positionOf().size()];
        Arrays.fill(answers, Double.NaN);
        List<String> outside = new ArrayList<>();
        for (Map.Entry<String, Double> entry : parsed.responses().entrySet()) {
            Integer position = loaded.positionOf().get(entry.getKey());
            if (position == null) {
                outside.add(entry.getKey());
            } else {
                answers[position] = entry.getValue();
            }
        }
        if (!outside.isEmpty()) {
            throw ApiException.invalid(outside.size() + " answered items are not in subset " + loaded.subset().id()
                    + ": " + outside.subList(0, Math.min(NAMED, outside.size())) + (outside.size() > NAMED ? " ..." : ""),
                    Map.of("itemsOutsideSubset", outside.subList(0, Math.min(1000, outside.size())),
                            "count", outside.size()));
        }
        return answers;
    }

    /** Per scenario: the subset's items and how many of them were answered. */
    private record Coverage(int[] items, int[] answered) {

        static Coverage of(SubsetEstimators.Loaded loaded, double[] answers) {
            int scenarios = loaded.scenarioNames().size();
            int[] items = new int[scenarios];
            int[] answered = new int[scenarios];
            for (int k = 0; k < answers.length; k++) {
                items[loaded.scenarioOfPosition()[k]]++;
                answered[loaded.scenarioOfPosition()[k]] += Double.isNaN(answers[k]) ? 0 : 1;
            }
            return new Coverage(items, answered);
        }

        /** 422 naming every scenario with fewer than half of its subset items answered. */
        void requireHalf(List<String> scenarioNames) {
            List<Map<String, Object>> short_ = new ArrayList<>();
            for (int s = 0; s < items.length; s++) {
                if (items[s] > 0 && 2 * answered[s] < items[s]) {
                    short_.add(Map.of("scenario", scenarioNames.get(s), "answered", answered[s], "items", items[s],
                            "needed", (items[s] + 1) / 2));
                }
            }
            if (!short_.isEmpty()) {
                throw ApiException.invalid("at least half of each scenario's subset items must be answered; too few "
                        + "in " + short_.stream().map(m -> m.get("scenario") + " (" + m.get("answered") + " of "
                        + m.get("items") + ")").toList(), Map.of("scenarios", short_));
            }
        }
    }

    private static EstimateView view(UUID id, String model, SubsetEstimators.Loaded loaded, ScoreEstimate estimate,
            Coverage coverage, double level, List<String> missing) {
        Map<String, Part> parts = new LinkedHashMap<>();
        for (int s = 0; s < coverage.items().length; s++) {
            parts.put(loaded.scenarioNames().get(s), part(estimate.scenarios().get(s), coverage.answered()[s],
                    coverage.items()[s]));
        }
        int items = loaded.positionOf().size();
        Part overall = part(estimate.overall(), items - missing.size(), items);
        return new EstimateView(id, model, loaded.subset().id(), loaded.subset().spec().benchmark(), "auto", level,
                parts, overall, missing, Instant.now());
    }

    private static Part part(ScoreEstimate.Part part, int answered, int items) {
        return new Part(part.estimate(), part.lower(), part.upper(), part.level(), part.estimator(), part.estimators(),
                answered, items);
    }
}
