package dev.itembank.budget;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.jobs.Job;
import dev.itembank.jobs.Jobs;
import dev.itembank.psychometrics.evaluation.BudgetCurve;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Answers "how many items per scenario do I need for this error?" from the benchmark version's backtested curve;
 * when there is no curve yet, queues the job that makes it (or points at the one already running).
 */
@Service
class BudgetAdvisor {

    static final String BASIS = "5-fold cross-validation over the benchmark's models: per fold a 2PL calibration, a "
            + "random subset of the budget and the estimators chosen on the fold's training models; itemsPerScenario "
            + "is the smallest budget whose every scenario's mean absolute error is at most targetError (auto's "
            + "searched subsets usually do better than random ones of the same size)";

    private final Datasets datasets;
    private final BudgetCurves curves;
    private final Jobs jobs;

    BudgetAdvisor(Datasets datasets, BudgetCurves curves, Jobs jobs) {
        this.datasets = datasets;
        this.curves = curves;
        this.jobs = jobs;
    }

    /** The advice, or the job that will make it possible. */
    sealed interface Answer {
        record Ready(Advice advice) implements Answer {
        }

        record Pending(UUID job) implements Answer {
        }
    }

    /**
     * @param itemsPerScenario the recommended budget, or null when no budget of the curve meets the target
     * @param expectedMae the worst scenario's backtested mean absolute error at that budget (or at the largest)
     */
    record Advice(String benchmark, int version, double targetError,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
            Integer itemsPerScenario, boolean met,
            double expectedMae, List<BudgetCurve.Point> curve, String basis) {
    }

    @Transactional
    public Answer advise(String benchmark, double targetError, Integer version) {
        if (!(targetError > 0 && targetError < 1)) {
            throw ApiException.invalid("targetError must be in (0, 1), got " + targetError, Map.of("parameter",
                    "targetError"));
        }
        long benchmarkId = datasets.benchmarkId(benchmark);
        int number = datasets.resolve(benchmark, version);
        Optional<BudgetCurve.Curve> curve = curves.find(benchmarkId, number);
        if (curve.isPresent()) {
            return new Answer.Ready(advice(benchmark, number, targetError, curve.get()));
        }
        JsonNode parameters = BudgetJob.parameters(benchmark, number);
        Optional<Job> latest = jobs.findLatest(BudgetJob.TYPE, benchmarkId, parameters);
        if (latest.isPresent() && latest.get().state() == Job.State.FAILED) {
            JsonNode error = latest.get().error();
            String detail = error != null && error.has("detail") ? error.get("detail").asString() : "it failed";
            throw ApiException.invalid("the budget backtest of " + benchmark + " version " + number + " failed: "
                    + detail, Map.of("job", latest.get().id()));
        }
        if (latest.isPresent() && (latest.get().state() == Job.State.QUEUED
                || latest.get().state() == Job.State.RUNNING)) {
            return new Answer.Pending(latest.get().id());
        }
        return new Answer.Pending(jobs.enqueueRequested(BudgetJob.TYPE, benchmarkId, parameters));
    }

    static Advice advice(String benchmark, int version, double targetError, BudgetCurve.Curve curve) {
        BudgetCurve.Point point = curve.recommend(targetError);
        BudgetCurve.Point largest = curve.points().get(curve.points().size() - 1);
        return new Advice(benchmark, version, targetError, point == null ? null : point.itemsPerScenario(),
                point != null, (point == null ? largest : point).worstScenarioMae(), curve.points(), BASIS);
    }
}
