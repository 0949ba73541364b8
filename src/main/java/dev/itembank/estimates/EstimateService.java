package dev.itembank.estimates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.HarnessRuns;
import dev.itembank.benchmarks.ModelResponses;
import dev.itembank.psychometrics.estimation.ScoreEstimate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A new model's full-benchmark scores from its answers on a subset: checks the answers against the subset, reads
 * them with the subset's fitted estimators, and publishes the estimate (immutable). Timed as
 * {@code itembank.estimates} (tag {@code kind}: single or batch).
 */
@Service
class EstimateService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int NAMED = 20;
    private final SubsetEstimators estimators;
    private final Estimates estimates;
    private final HarnessRuns runs;
    private final Timer single;
    private final Timer batch;

    EstimateService(SubsetEstimators estimators, Estimates estimates, HarnessRuns runs, MeterRegistry meters) {
        this.runs = runs;
        this.estimators = estimators;
        this.estimates = estimates;
        this.single = Timer.builder("itembank.estimates").description("estimates made, and how long each took")
                .tag("kind", "single").publishPercentileHistogram().register(meters);
        this.batch = Timer.builder("itembank.estimates").description("estimates made, and how long each took")
                .tag("kind", "batch").publishPercentileHistogram().register(meters);
    }

    /** One scenario's (or the overall) estimate, with its interval and what it was read from. */
    record Part(double estimate, double lower, double upper, double level, String estimator,
            Map<String, Double> estimators, boolean extrapolated, int answered, int items) {
    }

    record EstimateView(UUID id, String model, UUID subset, String benchmark, String estimator, double level,
            Map<String, Part> scenarios, Part overall, List<String> missing, List<String> warnings,
            Instant createdAt) {
    }

    /** A published estimate: its id and its JSON, written once (the same text is stored and answered). */
    record Made(UUID id, String json) {
    }

    /** Checks, estimates and publishes one model's answers. */
    Made create(UUID subset, ModelResponses.Parsed parsed, double level) {
        checkLevel(level);
        long start = System.nanoTime();
        SubsetEstimators.Loaded loaded = estimators.get(subset);
        Pending pending = compute(loaded, parsed, level, runs.warnings(loaded.subset().spec().benchmark(),
                parsed.provenance()));
        estimates.insert(pending.made().id(), subset, parsed.model(), pending.stored(), pending.made().json());
        single.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return pending.made();
    }

    /**
     * Several models at once, all or none: every model is checked and estimated before any is published, and a
     * model whose answers do not fit is a 422 naming it.
     */
    @Transactional
    List<Made> createAll(UUID subset, List<ModelResponses.Parsed> models, double level) {
        checkLevel(level);
        long start = System.nanoTime();
        SubsetEstimators.Loaded loaded = estimators.get(subset);
        java.util.Set<String> names = new java.util.HashSet<>();
        List<Pending> pending = new ArrayList<>(models.size());
        for (ModelResponses.Parsed parsed : models) {
            if (!names.add(parsed.model())) {
                throw ApiException.invalid("the batch names model '" + parsed.model() + "' twice",
                        Map.of("model", parsed.model()));
            }
            try {
                pending.add(compute(loaded, parsed, level, runs.warnings(loaded.subset().spec().benchmark(),
                        parsed.provenance())));
            } catch (ApiException e) {
                Map<String, Object> properties = new LinkedHashMap<>(e.properties());
                properties.put("model", parsed.model());
                throw new ApiException(e.type(), "model '" + parsed.model() + "': " + e.getMessage(), properties);
            }
        }
        for (int m = 0; m < pending.size(); m++) {
            Made made = pending.get(m).made();
            estimates.insert(made.id(), subset, models.get(m).model(), pending.get(m).stored(), made.json());
        }
        long each = (System.nanoTime() - start) / Math.max(1, models.size());
        models.forEach(model -> batch.record(each, java.util.concurrent.TimeUnit.NANOSECONDS));
        return pending.stream().map(Pending::made).toList();
    }

    private record Pending(Made made, Map<String, Double> stored) {
    }

    private static void checkLevel(double level) {
        if (!(level > 0 && level < 1)) {
            throw ApiException.invalid("level must be in (0, 1), got " + level, Map.of("parameter", "level"));
        }
    }

    private static Pending compute(SubsetEstimators.Loaded loaded, ModelResponses.Parsed parsed, double level,
            List<String> warnings) {
        double[] answers = answers(loaded, parsed);
        Coverage coverage = Coverage.of(loaded, answers);
        coverage.requireHalf(loaded.scenarioNames());
        java.util.Set<String> missing = new java.util.LinkedHashSet<>();
        for (int k = 0; k < answers.length; k++) {
            if (Double.isNaN(answers[k])) {
                missing.add(loaded.subset().itemIds().get(k));
            }
        }
        ScoreEstimate estimate = loaded.model().estimate(answers, level);
        UUID id = UUID.randomUUID();
        EstimateView view = view(id, parsed.model(), loaded, estimate, coverage, level, List.copyOf(missing),
                warnings);
        Map<String, Double> stored = new LinkedHashMap<>();
        parsed.responses().forEach((item, score) -> stored.put(item, Double.isNaN(score) ? null : score));
        return new Pending(new Made(id, JSON.writeValueAsString(view)), stored);
    }

    /** The answers in subset order (NaN = unanswered); 422 naming answered items that are not in the subset. */
    private static double[] answers(SubsetEstimators.Loaded loaded, ModelResponses.Parsed parsed) {
        double[] answers = new double[loaded.scenarioOfPosition().length];
        Arrays.fill(answers, Double.NaN);
        List<String> outside = new ArrayList<>();
        for (Map.Entry<String, Double> entry : parsed.responses().entrySet()) {
            int[] positions = loaded.positions(entry.getKey());
            if (positions == null) {
                outside.add(entry.getKey());
            } else {
                for (int position : positions) {
                    answers[position] = entry.getValue();
                }
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
            Coverage coverage, double level, List<String> missing, List<String> warnings) {
        Map<String, Part> parts = new LinkedHashMap<>();
        for (int s = 0; s < coverage.items().length; s++) {
            parts.put(loaded.scenarioNames().get(s), part(estimate.scenarios().get(s), coverage.answered()[s],
                    coverage.items()[s]));
        }
        int items = loaded.positionsOf().size();
        Part overall = part(estimate.overall(), items - missing.size(), items);
        return new EstimateView(id, model, loaded.subset().id(), loaded.subset().spec().benchmark(), "auto", level,
                parts, overall, missing, List.copyOf(warnings), Instant.now());
    }

    private static Part part(ScoreEstimate.Part part, int answered, int items) {
        return new Part(part.estimate(), part.lower(), part.upper(), part.level(), part.estimator(), part.estimators(),
                part.extrapolated(), answered, items);
    }
}
