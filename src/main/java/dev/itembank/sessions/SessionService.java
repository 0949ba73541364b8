package dev.itembank.sessions;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;
import dev.itembank.benchmarks.Dataset;
import dev.itembank.benchmarks.DatasetLayout;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.benchmarks.Grouping;
import dev.itembank.benchmarks.HarnessRuns;
import dev.itembank.benchmarks.LmEvalCoordinates;
import dev.itembank.benchmarks.ModelResponses;
import dev.itembank.calibrations.Calibrations;
import dev.itembank.psychometrics.adaptive.AdaptiveCalibration;
import dev.itembank.psychometrics.adaptive.AdaptiveDesign;
import dev.itembank.psychometrics.adaptive.AdaptiveTest;
import dev.itembank.psychometrics.adaptive.StoppingRule;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.ConcurrentLruCache;

/**
 * Adaptive testing sessions on a calibration ({@link AdaptiveTest}): the state lives in {@code adaptive_session}
 * and is read and written under the row's lock, so answers to one session are applied one request at a time and
 * any replica, after any restart, continues where the last one stopped. What a session is drawn from (the design,
 * the reading's lines and intervals fitted on simulated sessions of the calibration's training models) is the same
 * for every session with the same settings and is kept in memory.
 */
@Service
class SessionService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int NAMED = 20;
    private final JdbcTemplate jdbc;
    private final Calibrations calibrations;
    private final Datasets datasets;
    private final HarnessRuns runs;
    /** What sessions with the same calibration and settings are drawn from: built once, then from memory. */
    private final ConcurrentLruCache<Settings, Prepared> prepared = new ConcurrentLruCache<>(16, this::build);

    /** Per calibration, its items calibrated on each half of its training models (the cross-fit). */
    private final ConcurrentLruCache<UUID, ItemBank[]> crossFits = new ConcurrentLruCache<>(8, id -> new ItemBank[2]);

    SessionService(JdbcTemplate jdbc, Calibrations calibrations, Datasets datasets, HarnessRuns runs) {
        this.runs = runs;
        this.jdbc = jdbc;
        this.calibrations = calibrations;
        this.datasets = datasets;
    }

    /** What sessions with the same calibration and settings are drawn from. */
    record Prepared(AdaptiveDesign design, StoppingRule rule, AdaptiveCalibration calibration, List<String> itemIds,
            Map<String, Integer> columnOf, List<String> scenarioNames, String benchmark,
            Map<String, LmEvalCoordinates> coordinates, Map<String, String> aliases) {
    }

    /** A calibration and the settings a prepared design depends on (not the model or the seed). */
    private record Settings(UUID calibration, SessionSpec spec) {
    }

    /** A stored session. */
    record Stored(UUID id, UUID calibration, String model, SessionSpec spec, List<String> asked, double[] answers,
            List<String> pending, boolean done, String reason, Instant createdAt, Instant updatedAt) {
    }

    @Transactional
    Stored create(UUID calibrationId, SessionSpec.Request request) {
        SessionSpec spec = SessionSpec.of(request);
        Calibrations.StoredCalibration calibration = calibrations.require(calibrationId);
        Prepared ready = prepare(calibrationId, spec);
        AdaptiveTest.Step step = AdaptiveTest.step(ready.design(), ready.rule(), ready.calibration(), new int[0],
                new double[0], spec.seed(), spec.level());
        List<String> pending = ids(ready, step.next());
        UUID id = UUID.randomUUID();
        jdbc.update(connection -> {
            var ps = connection.prepareStatement("""
                    insert into adaptive_session (id, calibration_id, benchmark_id, model, spec, asked, answers,
                        pending, done, reason) values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)""");
            ps.setObject(1, id);
            ps.setObject(2, calibrationId);
            ps.setLong(3, calibration.benchmarkId());
            ps.setString(4, spec.model());
            ps.setString(5, JSON.writeValueAsString(spec));
            ps.setArray(6, connection.createArrayOf("text", pending.toArray()));
            ps.setArray(7, connection.createArrayOf("float8", pending.stream().map(p -> Double.NaN).toArray()));
            ps.setArray(8, connection.createArrayOf("text", pending.toArray()));
            ps.setBoolean(9, step.done());
            ps.setString(10, step.reason());
            return ps;
        });
        return require(id, false);
    }

    /** A JSON answers body, {@code {"responses": {"<item id>": 0|1|score|null}}}, checked; NaN for null. */
    static Map<String, Double> responses(JsonNode body, String model) {
        JsonNode responses = body == null ? null : body.path("responses");
        if (responses == null || !responses.isObject() || responses.isEmpty()) {
            throw ApiException.invalid("expected {\"responses\": {\"<item id>\": 0|1|score|null}} with at least one "
                    + "item", Map.of("field", "responses"));
        }
        return ModelResponses.responses(responses, model);
    }

    /** {@link #answer(UUID, Map)} with a JSON answers body, checked under the session's lock. */
    @Transactional
    Stored answer(UUID sessionId, JsonNode body) {
        Stored session = require(sessionId, true);
        return apply(session, responses(body, session.model()));
    }

    /**
     * Applies answers to pending items (a part of the batch is fine); once the batch is answered, the next one is
     * chosen or the session stops. Items never asked are a 422, items already answered a 409, both naming them.
     */
    @Transactional
    Stored answer(UUID sessionId, Map<String, Double> responses) {
        return apply(require(sessionId, true), responses);
    }

    private Stored apply(Stored session, Map<String, Double> responses) {
        UUID sessionId = session.id();
        if (session.done()) {
            throw new ApiException(ProblemType.CONFLICT, "session " + sessionId + " is done (" + session.reason()
                    + "): it takes no more answers", Map.of("reason", String.valueOf(session.reason())));
        }
        Set<String> pending = new LinkedHashSet<>(session.pending());
        Set<String> asked = new HashSet<>(session.asked());
        List<String> notAsked = new ArrayList<>();
        List<String> again = new ArrayList<>();
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, String> aliases = responses.keySet().stream().anyMatch(item -> !asked.contains(item))
                ? prepare(session.calibration(), session.spec()).aliases() : Map.of();
        for (Map.Entry<String, Double> entry : responses.entrySet()) {
            String item = asked.contains(entry.getKey()) ? entry.getKey()
                    : aliases.getOrDefault(entry.getKey(), entry.getKey());
            if (!asked.contains(item)) {
                notAsked.add(entry.getKey());
            } else if (!pending.contains(item)) {
                again.add(item);
            } else {
                values.put(item, entry.getValue());
            }
        }
        if (!notAsked.isEmpty()) {
            throw ApiException.invalid(notAsked.size() + " answered items were not asked in session " + sessionId
                    + ": " + named(notAsked), Map.of("itemsNotAsked", notAsked.subList(0, Math.min(1000,
                    notAsked.size())), "count", notAsked.size()));
        }
        if (!again.isEmpty()) {
            throw new ApiException(ProblemType.CONFLICT, again.size() + " items were answered before in session "
                    + sessionId + " and cannot be answered twice: " + named(again), Map.of("itemsAnsweredBefore",
                    again.subList(0, Math.min(1000, again.size())), "count", again.size()));
        }
        double[] answers = session.answers().clone();
        for (int k = 0; k < session.asked().size(); k++) {
            Double value = values.get(session.asked().get(k));
            if (value != null) {
                answers[k] = value;
            }
        }
        pending.removeAll(values.keySet());
        List<String> allAsked = new ArrayList<>(session.asked());
        double[] allAnswers = answers;
        boolean done = false;
        String reason = null;
        if (pending.isEmpty()) {
            Prepared ready = prepare(session.calibration(), session.spec());
            AdaptiveTest.Step step = AdaptiveTest.step(ready.design(), ready.rule(), ready.calibration(),
                    columns(ready, allAsked), allAnswers, session.spec().seed(), session.spec().level());
            done = step.done();
            reason = step.reason();
            List<String> next = ids(ready, step.next());
            pending.addAll(next);
            allAsked.addAll(next);
            allAnswers = Arrays.copyOf(allAnswers, allAsked.size());
            Arrays.fill(allAnswers, answers.length, allAnswers.length, Double.NaN);
        }
        List<String> storedAsked = allAsked;
        double[] storedAnswers = allAnswers;
        boolean storedDone = done;
        String storedReason = reason;
        jdbc.update(connection -> {
            var ps = connection.prepareStatement("""
                    update adaptive_session set asked = ?, answers = ?, pending = ?, done = ?, reason = ?,
                        revision = revision + 1, updated_at = now() where id = ?""");
            ps.setArray(1, connection.createArrayOf("text", storedAsked.toArray()));
            ps.setArray(2, connection.createArrayOf("float8", Arrays.stream(storedAnswers).boxed().toArray()));
            ps.setArray(3, connection.createArrayOf("text", pending.toArray()));
            ps.setBoolean(4, storedDone);
            ps.setString(5, storedReason);
            ps.setObject(6, sessionId);
            return ps;
        });
        return require(sessionId, false);
    }

    /** The pending items as lm-eval's {@code --samples} ({@code {"<task>": [doc ids]}}); 406 naming unmapped items. */
    Map<String, List<Object>> pendingSamples(Stored session) {
        Prepared ready = prepare(session.calibration(), session.spec());
        List<String> unmapped = session.pending().stream().filter(item -> !ready.coordinates().containsKey(item))
                .toList();
        if (!unmapped.isEmpty()) {
            throw new ApiException(ProblemType.NOT_ACCEPTABLE, unmapped.size() + " pending items have no "
                    + "lm-evaluation-harness task and doc id: " + named(unmapped),
                    Map.of("itemsWithoutMapping", unmapped));
        }
        Map<String, List<Object>> byTask = new LinkedHashMap<>();
        for (String item : session.pending()) {
            LmEvalCoordinates at = ready.coordinates().get(item);
            byTask.computeIfAbsent(at.task(), task -> new ArrayList<>()).add(at.docIdValue());
        }
        return byTask;
    }

    /** The session's current reading: ability, SEs and full-score estimate from the answers so far. */
    record Current(AdaptiveTest.Step step, Prepared prepared) {
    }

    Current current(Stored session) {
        Prepared ready = prepare(session.calibration(), session.spec());
        Set<String> pending = new HashSet<>(session.pending());
        List<String> answeredItems = new ArrayList<>();
        List<Double> answeredValues = new ArrayList<>();
        for (int k = 0; k < session.asked().size(); k++) {
            if (!pending.contains(session.asked().get(k))) {
                answeredItems.add(session.asked().get(k));
                answeredValues.add(session.answers()[k]);
            }
        }
        AdaptiveTest.Step step = AdaptiveTest.step(ready.design(), ready.rule(), ready.calibration(),
                columns(ready, answeredItems), answeredValues.stream().mapToDouble(Double::doubleValue).toArray(),
                session.spec().seed(), session.spec().level());
        return new Current(step, ready);
    }

    Stored require(UUID id, boolean lock) {
        List<Stored> found = jdbc.query("select id, calibration_id, model, spec, asked, answers, pending, done, "
                + "reason, created_at, updated_at from adaptive_session where id = ?" + (lock ? " for update" : ""),
                (rs, n) -> stored(rs), id);
        if (found.isEmpty()) {
            throw ApiException.notFound("session", id);
        }
        return found.get(0);
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                JSON.readValue(rs.getString(4), SessionSpec.class), strings(rs.getArray(5)), doubles(rs.getArray(6)),
                strings(rs.getArray(7)), rs.getBoolean(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }

    private static double[] doubles(Array array) throws SQLException {
        Double[] values = (Double[]) array.getArray();
        return Arrays.stream(values).mapToDouble(v -> v == null ? Double.NaN : v).toArray();
    }

    /** The design, rule and fitted reading for a calibration and settings: built once, then from memory. */
    private Prepared prepare(UUID calibration, SessionSpec spec) {
        return prepared.get(new Settings(calibration, spec.design()));
    }

    private Prepared build(Settings settings) {
        return build(calibrations.require(settings.calibration()), settings.spec());
    }

    private Prepared build(Calibrations.StoredCalibration calibration, SessionSpec spec) {
        String benchmark = calibration.spec().benchmark();
        DatasetLayout layout = datasets.layout(benchmark, calibration.datasetVersion());
        Grouping grouping = Grouping.of(layout);
        ItemBank items = calibrations.items(calibration.id());
        int n = layout.itemIds().size();
        Map<String, Integer> columnOf = new HashMap<>();
        for (int c = 0; c < n; c++) {
            columnOf.put(layout.itemIds().get(c), c);
        }
        boolean[] covered = null;
        if (!spec.scenarios().isEmpty()) {
            covered = new boolean[grouping.scenarioNames().size()];
            List<String> unknown = new ArrayList<>();
            for (String scenario : spec.scenarios()) {
                int s = grouping.scenarioNames().indexOf(scenario);
                if (s < 0) {
                    unknown.add(scenario);
                } else {
                    covered[s] = true;
                }
            }
            if (!unknown.isEmpty()) {
                throw ApiException.invalid("unknown scenarios " + unknown + "; the calibration's are "
                        + grouping.scenarioNames(), Map.of("field", "scenarios", "unknown", unknown));
            }
        }
        boolean[] excluded = new boolean[n];
        for (int column : calibration.droppedColumns()) {
            excluded[column] = true; // flat items preprocessing left out carry no information
        }
        List<String> unknown = new ArrayList<>();
        for (String item : spec.exclude()) {
            Integer column = columnOf.get(item);
            if (column == null) {
                unknown.add(item);
            } else {
                excluded[column] = true;
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.invalid(unknown.size() + " excluded items are not in the calibration: "
                    + named(unknown), Map.of("field", "exclude", "unknown", unknown.subList(0, Math.min(1000,
                    unknown.size()))));
        }
        AdaptiveDesign design = AdaptiveDesign.of(items, grouping.scenarioOfItem(), grouping.subscenarioOfItem())
                .restricted(covered, excluded);
        int coveredCount = (int) Arrays.stream(design.eligibleCounts()).filter(count -> count > 0).count();
        if (coveredCount == 0) {
            throw ApiException.invalid("no item is left to ask: every item of the covered scenarios is excluded",
                    Map.of("field", "exclude"));
        }
        SessionSpec.Stop stop = spec.stop();
        StoppingRule rule = new StoppingRule(stop.standardError() == null ? Double.NaN : stop.standardError(),
                stop.intervalHalfWidth() == null ? Double.NaN : stop.intervalHalfWidth(), stop.maxItems() == null
                ? StoppingRule.DEFAULT_ITEMS_PER_SCENARIO * coveredCount : stop.maxItems(), spec.batchSize());
        Dataset data = datasets.load(benchmark, calibration.datasetVersion());
        Set<String> heldOut = new HashSet<>(calibration.heldOutModels());
        int[] training = java.util.stream.IntStream.range(0, data.models().size())
                .filter(l -> !heldOut.contains(data.models().get(l))).toArray();
        ResponseMatrix matrix = data.matrix().selectModels(training);
        // cross-fitted: sessions of each half of the training models run on items calibrated on the other half;
        // the halves (fixed by the calibration's seed) are calibrated once per calibration, whatever the settings
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        ItemBank[] halves = crossFits.get(calibration.id());
        AdaptiveCalibration fitted = AdaptiveCalibration.fit(design, rule, matrix, calibration.spec().seed(),
                spec.level(), spec.choosesPerScenario(), (half, models) -> {
                    synchronized (halves) {
                        if (halves[half] == null) {
                            halves[half] = calibration.spec().refit(models, grouping.scenarioOfItem(),
                                    calibration.dimensions(), threads,
                                    dev.itembank.psychometrics.irt.CalibrationMonitor.NONE);
                        }
                        return halves[half];
                    }
                });
        // answers from an lm-eval run name items <task>/<doc_id>: those of items with other ids map to them
        Map<String, LmEvalCoordinates> coordinates = runs.coordinates(benchmark, layout.itemIds());
        Map<String, String> aliases = new HashMap<>();
        coordinates.forEach((itemId, at) -> {
            String harnessId = at.task() + "/" + at.docId();
            if (!harnessId.equals(itemId) && !columnOf.containsKey(harnessId)) {
                aliases.put(harnessId, itemId);
            }
        });
        return new Prepared(design, rule, fitted, layout.itemIds(), columnOf, grouping.scenarioNames(), benchmark,
                coordinates, aliases);
    }

    private static List<String> ids(Prepared ready, int[] columns) {
        return Arrays.stream(columns).mapToObj(ready.itemIds()::get).toList();
    }

    private static int[] columns(Prepared ready, List<String> items) {
        return items.stream().mapToInt(ready.columnOf()::get).toArray();
    }

    private static String named(List<String> items) {
        return items.subList(0, Math.min(NAMED, items.size())) + (items.size() > NAMED ? " ..." : "");
    }
}
