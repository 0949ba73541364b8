package dev.itembank.sessions;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.itembank.api.ApiException;
import dev.itembank.api.RequestLists;

/**
 * A session's settings as requested and as stored (defaults filled in): the model, scenarios covered (all when
 * empty), items excluded by id, the batch size, the stopping rule, the seed of the randomesque draws, the intervals'
 * level, and how items are chosen ({@link #PER_SCENARIO} for sessions started since item choice per scenario;
 * sessions stored before it have none and keep the information-based choice they were begun with, so that a session
 * resumed across an upgrade never reads items chosen by information as a random sample).
 */
record SessionSpec(String model, List<String> scenarios, List<String> exclude, int batchSize, Stop stop, long seed,
        double level, @Schema(description = "how items are chosen: per-scenario (by information or at random per "
                + "scenario, whichever simulated sessions found better: every new session), or information (in every "
                + "scenario: sessions stored before item choice per scenario existed)", allowableValues = {
                "per-scenario", "information"}) String itemChoice) {

    static final int DEFAULT_BATCH = 10;
    static final int MAX_BATCH = 1000;
    /** Item choice per scenario ({@code AdaptiveCalibration#sampled}). */
    static final String PER_SCENARIO = "per-scenario";
    /** Information-based items in every scenario (what sessions stored without an item choice were begun with). */
    static final String INFORMATION = "information";

    /** Whether items are chosen per scenario (false for sessions stored before that existed). */
    boolean choosesPerScenario() {
        return PER_SCENARIO.equals(itemChoice);
    }

    /** The stopping rule: any of a target standard error, a target interval half-width, and the most items. */
    @Schema(name = "SessionStop")
    record Stop(@Schema(description = "stop when every ability dimension's standard error is at most this",
                    example = "0.3") Double standardError,
            @Schema(description = "stop when the overall full-score interval's half-width is at most this",
                    example = "0.03") Double intervalHalfWidth,
            @Schema(description = "the most items (default: 50 per scenario covered)", example = "100")
            Integer maxItems) {
    }

    /** The request body: every field but model optional. */
    @Schema(name = "SessionRequest", description = "An adaptive testing session")
    record Request(@Schema(description = "the model being tested", example = "org/new-model") String model,
            @Schema(description = "items asked at a time (default 10)", example = "10") Integer batchSize,
            Stop stop,
            @Schema(description = "seed of the randomesque item draws", example = "0") Long seed,
            @Schema(description = "scenarios to cover (default: all)") List<String> scenarios,
            @Schema(description = "item ids never to ask (e.g. known contamination)") List<String> exclude,
            @Schema(description = "nominal coverage of the intervals (default 0.9)", example = "0.9") Double level) {
    }

    /** What a session's design and fitted reading depend on: these settings without the model and the seed. */
    SessionSpec design() {
        return new SessionSpec("", scenarios, exclude, batchSize, stop, 0, level, choosesPerScenario() ? PER_SCENARIO
                : INFORMATION);
    }

    static SessionSpec of(Request request) {
        if (request == null || request.model() == null || request.model().isBlank()) {
            throw ApiException.invalid("model is required: the name of the model being tested",
                    Map.of("field", "model"));
        }
        int batch = request.batchSize() == null ? DEFAULT_BATCH : request.batchSize();
        if (batch < 1 || batch > MAX_BATCH) {
            throw ApiException.invalid("batchSize must be in 1.." + MAX_BATCH + ", got " + batch,
                    Map.of("field", "batchSize"));
        }
        Stop stop = request.stop() == null ? new Stop(null, null, null) : request.stop();
        if (stop.standardError() != null && !(stop.standardError() > 0)) {
            throw ApiException.invalid("stop.standardError must be > 0", Map.of("field", "stop.standardError"));
        }
        if (stop.intervalHalfWidth() != null && !(stop.intervalHalfWidth() > 0)) {
            throw ApiException.invalid("stop.intervalHalfWidth must be > 0", Map.of("field", "stop.intervalHalfWidth"));
        }
        if (stop.maxItems() != null && stop.maxItems() < 1) {
            throw ApiException.invalid("stop.maxItems must be >= 1", Map.of("field", "stop.maxItems"));
        }
        double level = request.level() == null ? 0.9 : request.level();
        if (!(level > 0 && level < 1)) {
            throw ApiException.invalid("level must be in (0, 1), got " + level, Map.of("field", "level"));
        }
        return new SessionSpec(request.model().strip(), RequestLists.names(request.scenarios(), "scenarios"),
                RequestLists.names(request.exclude(), "exclude"), batch, stop,
                request.seed() == null ? 0L : request.seed(), level, PER_SCENARIO);
    }
}
