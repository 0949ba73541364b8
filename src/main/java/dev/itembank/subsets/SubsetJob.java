package dev.itembank.subsets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.Dataset;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.benchmarks.Grouping;
import dev.itembank.calibrations.Calibrations;
import dev.itembank.jobs.Job;
import dev.itembank.jobs.JobContext;
import dev.itembank.jobs.JobHandler;
import dev.itembank.psychometrics.estimation.AutoSelection;
import dev.itembank.psychometrics.estimation.EstimationModel;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Selection;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;
import org.springframework.stereotype.Component;

/**
 * Selects a subset (or k parallel forms) from a calibration's training models, fits the estimators that will read
 * it, backtests it on the calibration's held-out models, and publishes it.
 */
@Component
class SubsetJob implements JobHandler {

    static final String TYPE = "subset";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Datasets datasets;
    private final Calibrations calibrations;
    private final Subsets subsets;
    private ItemEmbeddings embeddings;

    SubsetJob(Datasets datasets, Calibrations calibrations, Subsets subsets) {
        this.datasets = datasets;
        this.calibrations = calibrations;
        this.subsets = subsets;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The models a subset is made from, and the ones kept for its backtest. */
    record Models(int[] training, int[] heldOut) {

        static Models of(List<String> models, Set<String> heldOutNames) {
            return new Models(IntStream.range(0, models.size()).filter(l -> !heldOutNames.contains(models.get(l)))
                    .toArray(), IntStream.range(0, models.size()).filter(l -> heldOutNames.contains(models.get(l)))
                    .toArray());
        }
    }

    @Override
    public Publication run(Job job, JobContext context) {
        SubsetSpec spec = JSON.treeToValue(job.parameters(), SubsetSpec.class);
        Calibrations.StoredCalibration calibration = calibrations.find(spec.calibration()).orElseThrow(() ->
                ApiException.invalid("calibration " + spec.calibration() + " does not exist", Map.of("field",
                        "calibration")));
        ItemBank items = calibrations.items(calibration.id());
        context.progress(0.02, "reading " + spec.benchmark() + " version " + calibration.datasetVersion());
        Dataset data = datasets.load(spec.benchmark(), calibration.datasetVersion());
        Grouping grouping = Grouping.of(data);
        Models models = Models.of(data.models(), new HashSet<>(calibration.heldOutModels()));
        ResponseMatrix training = data.matrix().selectModels(models.training());
        Selection.Method method = spec.selectionMethod();
        double[][] vectors = needsText(method) ? embed(datasets.itemTexts(spec.benchmark(),
                calibration.datasetVersion())) : null;
        SelectionInput input = new SelectionInput(training, grouping.scenarioOfItem(), grouping.subscenarioOfItem(),
                items, vectors);
        boolean[] unusable = new boolean[data.itemIds().size()];
        for (int j : calibration.droppedColumns()) {
            unusable[j] = true;
        }
        context.progress(0.05, "selecting with " + method.code());
        double[][] targets = targets(data, grouping, models.training());
        CalibrationMonitor monitor = new CalibrationMonitor() {
            @Override
            public void progress(double fraction, String message) {
                context.progress(0.05 + 0.9 * fraction, message);
            }

            @Override
            public boolean cancelled() {
                return context.cancelled();
            }
        };
        List<Subsets.Form> published = method == Selection.Method.AUTO
                ? auto(spec, calibration, input, targets, unusable, data, grouping, models, context, monitor)
                : chosen(spec, calibration, input, method, targets, unusable, data, grouping, models, context,
                        monitor);
        return () -> {
            List<UUID> ids = subsets.insert(job.id(), calibration.benchmarkId(), calibration.datasetVersion(), spec,
                    published);
            return "/api/v1/subsets/" + ids.get(0);
        };
    }

    /** Forms of one method, each with its estimators fitted (with nested refits when asked for). */
    private List<Subsets.Form> chosen(SubsetSpec spec, Calibrations.StoredCalibration calibration,
            SelectionInput input, Selection.Method method, double[][] targets, boolean[] unusable, Dataset data,
            Grouping grouping, Models models, JobContext context, CalibrationMonitor monitor) {
        List<Subset> forms = Selection.forms(input, method, spec.budget(), spec.seed(), spec.forms(), unusable,
                new CalibrationMonitor() {
                    @Override
                    public void progress(double fraction, String message) {
                        monitor.progress(0.5 * fraction, message);
                    }

                    @Override
                    public boolean cancelled() {
                        return context.cancelled();
                    }
                });
        context.checkCancelled();
        List<Subsets.Form> published = new ArrayList<>();
        for (int f = 0; f < forms.size(); f++) {
            monitor.progress(0.5 + 0.5 * f / forms.size(), "fitting the estimators of form " + (f + 1));
            Subset subset = forms.get(f);
            EstimationModel model = EstimationModel.fit(input.responses(), grouping.scenarioOfItem(),
                    input.balanceWeights(), input.items(), subset, targets, options(spec, calibration, input, subset,
                    unusable, context));
            context.checkCancelled();
            published.add(form(data, grouping, subset, model, models, input.balanceWeights(), null));
        }
        return published;
    }

    /**
     * {@code auto}: per form, every method's subset with its estimators, cross-validated with the calibration refitted
     * per fold ({@link AutoSelection}); the winner is published with the model it was judged by.
     */
    private List<Subsets.Form> auto(SubsetSpec spec, Calibrations.StoredCalibration calibration,
            SelectionInput input, double[][] targets, boolean[] unusable, Dataset data, Grouping grouping,
            Models models, JobContext context, CalibrationMonitor monitor) {
        boolean[] excluded = unusable.clone();
        List<Subsets.Form> published = new ArrayList<>();
        for (int f = 0; f < spec.forms(); f++) {
            int form = f;
            AutoSelection.Outcome outcome = AutoSelection.choose(input, input.balanceWeights(), targets,
                    training -> calibration.spec().refit(training, input.scenarioOfItem(), calibration.dimensions(),
                            context.threads(), context), spec.budget(), spec.seed() + f, excluded,
                    new CalibrationMonitor() {
                        @Override
                        public void progress(double fraction, String message) {
                            monitor.progress((form + fraction) / spec.forms(), "form " + (form + 1) + " of "
                                    + spec.forms() + ": " + message);
                        }

                        @Override
                        public boolean cancelled() {
                            return context.cancelled();
                        }
                    });
            for (int j : outcome.subset().items()) {
                excluded[j] = true;
            }
            published.add(form(data, grouping, outcome.subset(), outcome.model(), models, input.balanceWeights(),
                    outcome));
        }
        return published;
    }

    private static EstimationModel.Options options(SubsetSpec spec, Calibrations.StoredCalibration calibration,
            SelectionInput input, Subset subset, boolean[] unusable, JobContext context) {
        Selection.Method used = Selection.Method.parse(subset.method());
        return EstimationModel.Options.forSubset(subset, new EstimationModel.Refit() {
            @Override
            public ItemBank calibrate(ResponseMatrix foldTraining) {
                return calibration.spec().refit(foldTraining, input.scenarioOfItem(), calibration.dimensions(),
                        context.threads(), context);
            }

            @Override
            public Subset select(ResponseMatrix foldTraining, ItemBank foldItems) {
                return Selection.select(new SelectionInput(foldTraining, input.scenarioOfItem(),
                        input.subscenarioOfItem(), foldItems, input.embeddings()), used, spec.budget(), subset.seed(),
                        unusable);
            }
        }, input.items(), spec.nestedIntervals());
    }

    /** Reported full scores ({@code score:<scenario>}) of the training models, NaN where none was reported. */
    private double[][] targets(Dataset data, Grouping grouping, int[] training) {
        Map<String, Map<String, Double>> reported = datasets.reportedScores(data.benchmark());
        if (reported.isEmpty()) {
            return null;
        }
        double[][] targets = new double[grouping.scenarioNames().size()][training.length];
        for (int s = 0; s < targets.length; s++) {
            for (int k = 0; k < training.length; k++) {
                Double score = reported.getOrDefault(data.models().get(training[k]), Map.of())
                        .get(grouping.scenarioNames().get(s));
                targets[s][k] = score == null ? Double.NaN : score;
            }
        }
        return targets;
    }

    private static Subsets.Form form(Dataset data, Grouping grouping, Subset subset, EstimationModel model,
            Models models, double[] balance, AutoSelection.Outcome auto) {
        List<String> itemIds = new ArrayList<>();
        List<String> scenarios = new ArrayList<>();
        for (int j : subset.items()) {
            itemIds.add(data.itemIds().get(j));
            scenarios.add(data.scenarios().get(j));
        }
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        Map<String, Integer> budget = new LinkedHashMap<>();
        for (int s = 0; s < subset.budget().length; s++) {
            budget.put(grouping.scenarioNames().get(s), subset.budget()[s]);
        }
        diagnostics.put("budget", budget);
        if (subset.diagnostics().inertia() != null) {
            diagnostics.put("inertia", subset.diagnostics().inertia());
        }
        if (subset.diagnostics().fitnessHistory() != null) {
            diagnostics.put("fitnessHistory", subset.diagnostics().fitnessHistory());
        }
        diagnostics.put("dropped", subset.diagnostics().dropped().stream().map(d -> Map.of("itemId",
                data.itemIds().get(d.item()), "reason", d.reason())).toList());
        diagnostics.put("notes", subset.diagnostics().notes());
        Map<String, String> chosen = new LinkedHashMap<>();
        for (int s = 0; s < model.chosen().size(); s++) {
            chosen.put(grouping.scenarioNames().get(s), model.chosen().get(s));
        }
        diagnostics.put("estimators", chosen);
        List<String> beyond = model.state().beyond();
        if (beyond != null) {
            // how models beyond the training ones are read, per scenario, as auto's backtest beyond them chose
            Map<String, String> fallbacks = new LinkedHashMap<>();
            for (int s = 0; s < beyond.size(); s++) {
                fallbacks.put(grouping.scenarioNames().get(s), beyond.get(s) == null ? "default" : beyond.get(s));
            }
            diagnostics.put("fallbacks", fallbacks);
        }
        if (auto != null) {
            // auto's comparison: each candidate method's cross-validated error with its own chosen estimators, and
            // its error on the strongest training models when fitted on the weakest ones
            diagnostics.put("autoCandidates", auto.errors());
            diagnostics.put("autoCandidatesBeyond", auto.beyond());
            double limit = AutoSelection.beyondLimit(auto.beyond());
            if (Double.isFinite(limit)) {
                diagnostics.put("autoBeyondLimit", limit); // candidates above it were out
            }
        }
        return new Subsets.Form(subset.method(), JSON.valueToTree(subset.parameters()), itemIds, scenarios,
                subset.items(), subset.weights(), JSON.valueToTree(diagnostics),
                SubsetBacktest.of(data, grouping, subset, model, models.heldOut(), balance),
                model.state());
    }

    private static boolean needsText(Selection.Method method) {
        return method == Selection.Method.GENETIC || method == Selection.Method.AUTO;
    }

    private double[][] embed(List<String> texts) {
        if (texts.stream().allMatch(java.util.Objects::isNull)) {
            return null;
        }
        synchronized (this) {
            if (embeddings == null) {
                embeddings = new ItemEmbeddings();
            }
        }
        return embeddings.embed(texts);
    }
}
