package dev.itembank.sessions;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

import dev.itembank.benchmarks.ModelResponses;
import dev.itembank.psychometrics.adaptive.AdaptiveCalibration;
import dev.itembank.psychometrics.adaptive.AdaptiveTest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Adaptive sessions", description = "Adaptive testing: each model gets the items that tell most about it, "
        + "in batches, until its estimate is precise enough")
@RestController
class SessionController {

    private final SessionService sessions;
    private final ModelResponses parser;

    SessionController(SessionService sessions, ModelResponses parser) {
        this.sessions = sessions;
        this.parser = parser;
    }

    /** A session as the answer to a create or to answers: what to ask now, or why it stopped. */
    record SessionStep(UUID id, String model, List<String> items, boolean done, String reason, int asked,
            int answered, String href) {
    }

    /** One asked item, its scenario and its answer (null while pending or when answered with null). */
    record AskedItem(String itemId, String scenario, Double answer, boolean pending) {
    }

    record AbilityView(double[] theta, double[] standardError) {
    }

    /** A full-score estimate part, shaped like an estimate resource's. */
    record Part(double estimate, double lower, double upper, double level, String estimator, int answered) {
    }

    record EstimateView(Part overall, Map<String, Part> scenarios) {
    }

    /** How a scenario's items are chosen (the schema's description says it for clients). */
    @Schema(name = "SessionItemChoice", description = "How a scenario's items are chosen: information (the most "
            + "informative at the current ability, read through the calibration) or random (drawn at random by "
            + "sub-scenario share, read by AIPW: the IRT prediction plus their mean residual), whichever missed the "
            + "training models less in simulated sessions (their mean absolute errors; null where not simulated)")
    record ItemChoice(@Schema(allowableValues = {"information", "random"}) String choice, Double informationError,
            Double randomError) {
    }

    record SessionView(UUID id, UUID calibration, String benchmark, String model, SessionSpec settings, boolean done,
            String reason, List<String> items, List<AskedItem> asked, AbilityView ability, EstimateView estimate,
            Map<String, ItemChoice> itemChoice, Instant createdAt, Instant updatedAt) {
    }

    @Operation(operationId = "createSession", summary = "Start an adaptive testing session on a calibration",
            description = "The first batch of items (the most informative at the prior ability, balanced across "
                    + "scenarios) comes back at once. Sessions live in the database: they survive restarts and any "
                    + "replica continues them.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = SessionSpec.Request.class),
                    examples = @ExampleObject(value = "{\"model\": \"org/new-model\", \"batchSize\": 10, \"stop\": "
                            + "{\"intervalHalfWidth\": 0.03, \"maxItems\": 100}, \"seed\": 0}"))))
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the session and its "
            + "first items", useReturnTypeSchema = true)
    @PostMapping(path = "/api/v1/calibrations/{id}/sessions", consumes = "application/json",
            produces = "application/json")
    ResponseEntity<SessionStep> create(@PathVariable UUID id, @RequestBody SessionSpec.Request request) {
        SessionService.Stored session = sessions.create(id, request);
        return ResponseEntity.created(URI.create(href(session.id()))).body(step(session));
    }

    @Operation(operationId = "answerSession", summary = "Answer a session's pending items; get the next ones",
            description = "Body {\"responses\": {\"<item id>\": 0|1|score|null}}. Part of a batch may be answered; "
                    + "once the whole batch is, the next batch is chosen at the updated ability, or the session "
                    + "stops (done, with the reason: standardError, intervalHalfWidth, maxItems or exhausted). Items "
                    + "not asked are a 422 naming them; items answered before a 409.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = Answers.class),
                    examples = @ExampleObject(value = "{\"responses\": {\"wmdp_bio_17\": 1, \"wmdp_cyber_5\": 0}}"))))
    @PostMapping(path = "/api/v1/sessions/{id}/answers", consumes = "application/json",
            produces = "application/json")
    SessionStep answer(@PathVariable UUID id, @RequestBody JsonNode body) {
        return step(sessions.answer(id, body));
    }

    /** The same operation for lm-eval bodies (OpenAPI shows one operation with every media type). */
    @Operation(operationId = "answerSession", summary = "Answer a session's pending items; get the next ones",
            description = "Body {\"responses\": {\"<item id>\": 0|1|score|null}}, or the folder lm_eval wrote for "
                    + "the batch (--samples from ?format=lm-eval, --log_samples) as application/gzip (.tar.gz), "
                    + "application/zip, multipart files or one task's samples (application/x-ndjson with ?task=); "
                    + "items map back through their task and doc_id.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the next items, or done",
            useReturnTypeSchema = true)
    @PostMapping(path = "/api/v1/sessions/{id}/answers", consumes = {"application/gzip", "application/x-gzip",
            "application/zip", "multipart/form-data", "application/x-ndjson"}, produces = "application/json")
    SessionStep answerWithRun(@PathVariable UUID id,
            @io.swagger.v3.oas.annotations.Parameter(hidden = true)
            @org.springframework.web.bind.annotation.RequestHeader("Content-Type")
            org.springframework.http.MediaType contentType,
            @org.springframework.web.bind.annotation.RequestParam(required = false) String metric,
            @org.springframework.web.bind.annotation.RequestParam(required = false) String task,
            @org.springframework.web.bind.annotation.RequestParam(required = false) String filter,
            jakarta.servlet.http.HttpServletRequest request) throws java.io.IOException {
        SessionService.Stored session = sessions.require(id, false);
        ModelResponses.Parsed parsed = parser.read(request, contentType, new ModelResponses.HarnessOptions(
                session.model(), metric, task, filter));
        return step(sessions.answer(id, parsed.responses()));
    }

    /** Documentation of the answers body. */
    @Schema(name = "SessionAnswers")
    record Answers(Map<String, Double> responses) {
    }

    @Operation(operationId = "getSession", summary = "A session: items asked and answers, ability with standard "
            + "errors, and the current full-score estimate per scenario with its interval")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the session (json), or "
            + "its pending items as lm_eval --samples (lm-eval)", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = SessionView.class)))
    @GetMapping(path = "/api/v1/sessions/{id}", produces = "application/json")
    ResponseEntity<?> get(@PathVariable UUID id, @io.swagger.v3.oas.annotations.Parameter(description = "json "
            + "(default), or lm-eval: the pending items as lm_eval's --samples {\"<task>\": [doc ids]}", schema =
            @Schema(allowableValues = {"json", "lm-eval"})) @org.springframework.web.bind.annotation.RequestParam(
            defaultValue = "json") String format) {
        SessionService.Stored session = sessions.require(id, false);
        return switch (format) {
            case "json" -> ResponseEntity.ok(view(session));
            case "lm-eval" -> ResponseEntity.ok(sessions.pendingSamples(session));
            default -> throw dev.itembank.api.ApiException.invalid("format must be json or lm-eval, got '" + format
                    + "'", Map.of("parameter", "format"));
        };
    }

    private SessionView view(SessionService.Stored session) {
        SessionService.Current current = sessions.current(session);
        AdaptiveTest.Step step = current.step();
        SessionService.Prepared ready = current.prepared();
        List<String> pending = session.pending();
        java.util.Set<String> waiting = new java.util.HashSet<>(pending);
        List<AskedItem> asked = new ArrayList<>();
        int[] answeredIn = new int[ready.scenarioNames().size()];
        for (int k = 0; k < session.asked().size(); k++) {
            String item = session.asked().get(k);
            int scenario = ready.design().scenarioOfItem()[ready.columnOf().get(item)];
            boolean isPending = waiting.contains(item);
            double answer = session.answers()[k];
            asked.add(new AskedItem(item, ready.scenarioNames().get(scenario), isPending || Double.isNaN(answer)
                    ? null : answer, isPending));
            if (!isPending && !Double.isNaN(answer)) {
                answeredIn[scenario]++;
            }
        }
        AdaptiveTest.Reading reading = step.reading();
        double level = session.spec().level();
        Map<String, Part> scenarios = new LinkedHashMap<>();
        Map<String, ItemChoice> choices = new LinkedHashMap<>();
        AdaptiveCalibration fitted = ready.calibration();
        int answered = 0;
        for (int s = 0; s < ready.scenarioNames().size(); s++) {
            answered += answeredIn[s];
            if (!Double.isNaN(reading.estimate()[s])) {
                String name = ready.scenarioNames().get(s);
                scenarios.put(name, part(reading.estimate()[s], fitted.halfWidth(reading, s, level), level,
                        fitted.sampled()[s] ? "random-sample" : "adaptive", answeredIn[s]));
                choices.put(name, new ItemChoice(fitted.sampled()[s] ? "random" : "information",
                        finite(fitted.simulated()[s][0]), finite(fitted.simulated()[s][1])));
            }
        }
        Part overall = part(reading.overall(), fitted.halfWidth(reading, -1, level), level, "adaptive", answered);
        return new SessionView(session.id(), session.calibration(), ready.benchmark(), session.model(),
                session.spec(), session.done(), session.reason(), pending, asked,
                new AbilityView(step.ability().theta(), step.ability().standardError()),
                new EstimateView(overall, scenarios), choices, session.createdAt(), session.updatedAt());
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static Part part(double estimate, double halfWidth, double level, String estimator, int answered) {
        return new Part(estimate, Math.max(0, estimate - halfWidth), Math.min(1, estimate + halfWidth), level,
                estimator, answered);
    }

    private static SessionStep step(SessionService.Stored session) {
        int answered = session.asked().size() - session.pending().size();
        return new SessionStep(session.id(), session.model(), session.pending(), session.done(), session.reason(),
                session.asked().size(), answered, href(session.id()));
    }

    private static String href(UUID id) {
        return "/api/v1/sessions/" + id;
    }
}
