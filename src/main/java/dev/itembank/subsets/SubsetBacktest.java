package dev.itembank.subsets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.benchmarks.Dataset;
import dev.itembank.benchmarks.Grouping;
import dev.itembank.psychometrics.estimation.EstimationModel;
import dev.itembank.psychometrics.estimation.ScoreEstimate;
import dev.itembank.psychometrics.evaluation.Metrics;
import dev.itembank.psychometrics.matrix.ScenarioScores;
import dev.itembank.psychometrics.selection.Subset;

/**
 * A subset's backtest as published: each estimator's cross-validated error on the training models, and, when the
 * calibration held models out, the estimates of those models against their true scores (error, ranking, interval
 * coverage at 90%) - models that took part in neither the calibration nor the selection.
 */
final class SubsetBacktest {

    static final double LEVEL = 0.9;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SubsetBacktest() {
    }

    static JsonNode of(Dataset data, Grouping grouping, Subset subset, EstimationModel model, int[] heldOut,
            double[] balance) {
        List<String> names = grouping.scenarioNames();
        int scenarios = names.size();
        Map<String, Object> backtest = new LinkedHashMap<>();
        Map<String, Map<String, Double>> crossValidated = new LinkedHashMap<>();
        model.errors().forEach((estimator, errors) -> {
            Map<String, Double> byScenario = new LinkedHashMap<>();
            for (int s = 0; s < scenarios; s++) {
                byScenario.put(names.get(s), errors[s]);
            }
            crossValidated.put(estimator, byScenario);
        });
        backtest.put("crossValidatedMae", crossValidated);
        if (heldOut.length == 0) {
            backtest.put("heldOut", null);
            backtest.put("note", "the calibration held no models out: calibrate with heldOutModels for a held-out "
                    + "backtest");
            return JSON.valueToTree(backtest);
        }
        double[][] estimates = new double[scenarios + 1][heldOut.length];
        double[][] truths = new double[scenarios + 1][heldOut.length];
        double[][] lower = new double[scenarios + 1][heldOut.length];
        double[][] upper = new double[scenarios + 1][heldOut.length];
        double[] row = new double[data.matrix().items()];
        for (int k = 0; k < heldOut.length; k++) {
            data.matrix().row(heldOut[k], row);
            double[] answers = new double[subset.items().length];
            for (int i = 0; i < answers.length; i++) {
                answers[i] = row[subset.items()[i]];
            }
            ScoreEstimate estimate = model.estimate(answers, LEVEL);
            double[] truth = ScenarioScores.of(row, balance, grouping.scenarioOfItem(), scenarios);
            double overall = 0;
            for (int s = 0; s <= scenarios; s++) {
                ScoreEstimate.Part part = s == scenarios ? estimate.overall() : estimate.scenarios().get(s);
                estimates[s][k] = part.estimate();
                lower[s][k] = part.lower();
                upper[s][k] = part.upper();
                if (s < scenarios) {
                    truths[s][k] = truth[s];
                    overall += truth[s] / scenarios;
                } else {
                    truths[s][k] = overall;
                }
            }
        }
        Map<String, Metrics> metrics = new LinkedHashMap<>();
        for (int s = 0; s <= scenarios; s++) {
            metrics.put(s == scenarios ? "overall" : names.get(s), Metrics.of(estimates[s], truths[s], lower[s],
                    upper[s]));
        }
        List<Map<String, Object>> points = new java.util.ArrayList<>();
        for (int k = 0; k < heldOut.length; k++) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("model", data.models().get(heldOut[k]));
            point.put("truth", truths[scenarios][k]);
            point.put("estimate", estimates[scenarios][k]);
            point.put("lower", lower[scenarios][k]);
            point.put("upper", upper[scenarios][k]);
            points.add(point);
        }
        backtest.put("heldOut", Map.of("models", heldOut.length, "level", LEVEL, "metrics", metrics,
                "overall", points));
        return JSON.valueToTree(backtest);
    }
}
