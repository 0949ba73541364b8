package dev.itembank.calibrations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.itembank.benchmarks.Dataset;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.benchmarks.Grouping;
import dev.itembank.jobs.Job;
import dev.itembank.jobs.JobContext;
import dev.itembank.jobs.JobHandler;
import dev.itembank.jobs.Jobs;
import dev.itembank.psychometrics.irt.Calibration;
import dev.itembank.psychometrics.irt.Calibrator;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import org.springframework.stereotype.Component;

/**
 * Fits a calibration: reads the pinned dataset version, runs {@link Calibrator} outside any transaction, and
 * publishes the parameters (and queues the follow-up subset job an auto-refresh asked for) in one transaction.
 */
@Component
class CalibrationJob implements JobHandler {

    static final String TYPE = "calibration";
    /** The job type of the subset selection an auto-refresh queues after the calibration. */
    static final String FOLLOW_UP_TYPE = "subset";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Datasets datasets;
    private final Calibrations calibrations;
    private final Jobs jobs;

    CalibrationJob(Datasets datasets, Calibrations calibrations, Jobs jobs) {
        this.datasets = datasets;
        this.calibrations = calibrations;
        this.jobs = jobs;
    }

    /** The job's parameters: the calibration, and optionally a subset request to queue once it is published. */
    static JsonNode parameters(CalibrationSpec spec, JsonNode then) {
        ObjectNode parameters = JSON.createObjectNode();
        parameters.set("calibration", JSON.valueToTree(spec));
        if (then != null) {
            parameters.set("then", then);
        }
        return parameters;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Publication run(Job job, JobContext context) {
        CalibrationSpec spec = JSON.treeToValue(job.parameters().get("calibration"), CalibrationSpec.class);
        context.progress(0, "reading " + spec.benchmark() + " version " + spec.version());
        Dataset data = datasets.load(spec.benchmark(), spec.version());
        Map<String, Integer> rowOf = new HashMap<>();
        for (int l = 0; l < data.models().size(); l++) {
            rowOf.put(data.models().get(l), l);
        }
        int[] heldOut = spec.heldOutModels().stream().mapToInt(rowOf::get).toArray();
        Grouping grouping = Grouping.of(data);
        Calibrator.Report report = Calibrator.calibrate(data.matrix(), spec.toCalibratorRequest(heldOut,
                grouping.scenarioOfItem(), context.threads()), context);
        java.util.Set<Integer> out = new java.util.HashSet<>(spec.heldOutModels().stream().map(rowOf::get).toList());
        int[] training = IntStream.range(0, data.models().size()).filter(l -> !out.contains(l)).toArray();
        Calibrations.Fit fit = fit(data, report, training);
        JsonNode then = job.parameters().get("then");
        return () -> {
            UUID id = calibrations.insert(job.id(), job.benchmarkId(), spec, fit);
            if (then != null && then.isObject()) {
                ObjectNode followUp = ((ObjectNode) then).deepCopy();
                followUp.put("calibration", id.toString());
                jobs.enqueue(FOLLOW_UP_TYPE, job.benchmarkId(), followUp);
            }
            return "/api/v1/calibrations/" + id;
        };
    }

    private static Calibrations.Fit fit(Dataset data, Calibrator.Report report, int[] training) {
        Calibration calibration = report.calibration();
        int columns = data.matrix().items();
        boolean[] kept = new boolean[columns];
        for (int j : report.items()) {
            kept[j] = true;
        }
        int[] dropped = IntStream.range(0, columns).filter(j -> !kept[j]).toArray();
        ItemBank items = CalibrationSpec.expanded(data.matrix(), report);
        List<String> abilityModels = new ArrayList<>();
        for (int l : report.models()) {
            abilityModels.add(data.models().get(l));
        }
        return new Calibrations.Fit(items, abilityModels, calibration.abilities(), diagnostics(data, report, dropped, training),
                dropped);
    }

    private static JsonNode diagnostics(Dataset data, Calibrator.Report report, int[] dropped, int[] training) {
        Calibration calibration = report.calibration();
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("logLikelihood", calibration.logLikelihood());
        diagnostics.put("iterations", calibration.iterations());
        diagnostics.put("converged", calibration.converged());
        diagnostics.put("freeParameters", calibration.freeParameters());
        diagnostics.put("aic", calibration.aic());
        diagnostics.put("bic", calibration.bic());
        diagnostics.put("elapsedMillis", calibration.elapsedMillis());
        diagnostics.put("seed", calibration.seed());
        diagnostics.put("trainingModels", report.models().length);
        diagnostics.put("items", report.items().length);
        if (report.heldOutLogLikelihood() != null) {
            diagnostics.put("heldOutLogLikelihood", report.heldOutLogLikelihood());
        }
        if (report.dimensionChoice() != null) {
            Map<String, Double> errors = new LinkedHashMap<>();
            report.dimensionChoice().errors().forEach((d, e) -> errors.put(String.valueOf(d), e));
            diagnostics.put("dimensionChoice", Map.of("chosen", report.dimensionChoice().dimensions(),
                    "validationError", errors));
        }
        if (report.thresholds() != null) {
            diagnostics.put("binarizationThresholds", report.thresholds());
        }
        if (report.preprocessing() != null) {
            List<Map<String, String>> items = new ArrayList<>();
            report.preprocessing().droppedItems().forEach(d -> items.add(Map.of("itemId",
                    data.itemIds().get(d.index()), "reason", d.reason())));
            List<Map<String, String>> models = new ArrayList<>();
            report.preprocessing().droppedModels().forEach(d -> models.add(Map.of("model",
                    data.models().get(training[d.index()]), "reason", d.reason())));
            diagnostics.put("preprocessing", Map.of("droppedItems", items, "droppedModels", models));
        }
        diagnostics.put("droppedColumns", dropped.length);
        return JSON.valueToTree(diagnostics);
    }

}
