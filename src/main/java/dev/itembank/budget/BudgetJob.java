package dev.itembank.budget;

import tools.jackson.databind.JsonNode;

import dev.itembank.benchmarks.Dataset;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.benchmarks.Grouping;
import dev.itembank.jobs.Job;
import dev.itembank.jobs.JobContext;
import dev.itembank.jobs.JobHandler;
import dev.itembank.psychometrics.evaluation.BudgetCurve;
import dev.itembank.psychometrics.selection.SelectionInput;
import org.springframework.stereotype.Component;

/** Backtests a benchmark version's error against budget ({@link BudgetCurve}) and stores the curve. */
@Component
class BudgetJob implements JobHandler {

    static final String TYPE = "budget";
    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();
    private final Datasets datasets;
    private final BudgetCurves curves;

    BudgetJob(Datasets datasets, BudgetCurves curves) {
        this.datasets = datasets;
        this.curves = curves;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The job's parameters. */
    static JsonNode parameters(String benchmark, int version) {
        return JSON.createObjectNode().put("benchmark", benchmark).put("version", version);
    }

    @Override
    public Publication run(Job job, JobContext context) {
        String benchmark = job.parameters().get("benchmark").asString();
        int version = job.parameters().get("version").asInt();
        context.progress(0.01, "reading " + benchmark + " version " + version);
        Dataset data = datasets.load(benchmark, version);
        Grouping grouping = Grouping.of(data);
        double[] balance = new SelectionInput(data.matrix(), grouping.scenarioOfItem(), grouping.subscenarioOfItem(),
                null).balanceWeights();
        BudgetCurve.Curve curve;
        try {
            curve = BudgetCurve.compute(data.matrix(), grouping.scenarioOfItem(), balance,
                    grouping.scenarioNames().toArray(String[]::new), 0L, context);
        } catch (IllegalArgumentException e) {
            throw dev.itembank.api.ApiException.invalid(e.getMessage(), java.util.Map.of("benchmark", benchmark,
                    "version", version));
        }
        return () -> {
            curves.insert(job.benchmarkId(), version, job.id(), curve);
            return "/api/v1/benchmarks/" + benchmark + "/budget?version=" + version;
        };
    }
}
