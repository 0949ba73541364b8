package dev.itembank.calibrations;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.itembank.api.ApiException;
import dev.itembank.api.RequestLists;
import dev.itembank.benchmarks.DatasetLayout;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.Calibrator;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * A calibration request with every default filled in and "latest" resolved, as the job stores it: the same spec
 * always gives the same calibration.
 *
 * @param benchmark the benchmark's name
 * @param version the dataset version it pins
 * @param model {@code 1pl}, {@code 2pl}, {@code 3pl}, {@code 4pl} or {@code mirt}
 * @param dimensions D for {@code mirt}, or null to choose it (tinyBenchmarks' rule over 2, 5, 10, 15)
 * @param preprocess {@code none} or {@code metabench}
 * @param heldOutModels models left out of the fit (scored on it, and available to backtests)
 * @param continuous {@code binarize} or {@code fractional}: what non-0/1 scores become
 * @param seed seed of the start values
 */
public record CalibrationSpec(String benchmark, int version, String model, Integer dimensions, String preprocess,
        List<String> heldOutModels, String continuous, long seed) {

    static final String DEFAULT_MODEL = "mirt";

    /** The request body: every field optional. */
    @Schema(name = "CalibrationRequest", description = "A calibration; every field optional ({} for all defaults)")
    public record Request(
            @Schema(description = "a version number >= 1, or \"latest\" (default)", example = "latest",
                    types = {"integer", "string"}) JsonNode version,
            @Schema(description = "the item response model (default mirt: multidimensional 2PL by joint MAP)",
                    allowableValues = {"mirt", "1pl", "2pl", "3pl", "4pl"}, example = "mirt") String model,
            @Schema(description = "mirt only: the number of dimensions, or \"auto\" (tinyBenchmarks' rule; "
                    + "default)", example = "auto", types = {"integer", "string"}) JsonNode dimensions,
            @Schema(allowableValues = {"none", "metabench"}, example = "none",
                    description = "item filtering before the fit") String preprocess,
            @Schema(description = "models kept out of the fit, to backtest subsets on") List<String> heldOutModels,
            @Schema(allowableValues = {"binarize", "fractional"}, example = "binarize",
                    description = "how scores in (0, 1) enter the fit") String continuous,
            @Schema(example = "0") Long seed) {
    }

    static Integer requestedVersion(JsonNode version) {
        if (version == null || version.isNull() || (version.isString() && version.asString().equals("latest"))) {
            return null;
        }
        if (version.isIntegralNumber() && version.canConvertToInt() && version.asInt() >= 1) {
            return version.asInt();
        }
        throw ApiException.invalid("version must be a version number >= 1 or \"latest\", got " + version,
                Map.of("field", "version"));
    }

    public static CalibrationSpec of(Request request, DatasetLayout layout) {
        String model = request.model() == null ? DEFAULT_MODEL : request.model().toLowerCase(Locale.ROOT);
        Integer dimensions = dimensions(request.dimensions(), model);
        String preprocess = request.preprocess() == null ? "none" : request.preprocess().toLowerCase(Locale.ROOT);
        if (!preprocess.equals("none") && !preprocess.equals("metabench")) {
            throw ApiException.invalid("preprocess must be none or metabench, got '" + request.preprocess() + "'",
                    Map.of("field", "preprocess"));
        }
        String continuous = request.continuous() == null ? "binarize" : request.continuous().toLowerCase(Locale.ROOT);
        if (!continuous.equals("binarize") && !continuous.equals("fractional")) {
            throw ApiException.invalid("continuous must be binarize or fractional, got '" + request.continuous()
                    + "'", Map.of("field", "continuous"));
        }
        List<String> heldOut = RequestLists.names(request.heldOutModels(), "heldOutModels");
        Set<String> known = new HashSet<>(layout.models());
        List<String> unknown = new ArrayList<>(heldOut.stream().filter(m -> !known.contains(m)).toList());
        if (!unknown.isEmpty()) {
            throw ApiException.invalid("heldOutModels names models that are not in " + layout.benchmark()
                    + " version " + layout.version() + ": " + unknown.subList(0, Math.min(10, unknown.size())),
                    Map.of("field", "heldOutModels", "unknownModels", unknown));
        }
        if (new HashSet<>(heldOut).size() != heldOut.size()) {
            throw ApiException.invalid("heldOutModels lists a model twice", Map.of("field", "heldOutModels"));
        }
        int training = layout.models().size() - heldOut.size();
        if (training < 5) {
            throw ApiException.invalid("a calibration needs at least 5 training models; " + layout.benchmark()
                    + " version " + layout.version() + " leaves " + training, Map.of("field", "heldOutModels",
                    "trainingModels", training));
        }
        return new CalibrationSpec(layout.benchmark(), layout.version(), model, dimensions, preprocess, heldOut,
                continuous, request.seed() == null ? 0L : request.seed());
    }

    private static Integer dimensions(JsonNode dimensions, String model) {
        if (!model.equals("mirt")) {
            try {
                new Calibrator.Request(model, null, null, false, null, null, null, 0L, 1);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(e.getMessage().replace("unknown item model", "unknown model")
                        .replace("1pl, 2pl, 3pl or 4pl", "1pl, 2pl, 3pl, 4pl or mirt"), Map.of("field", "model"));
            }
            if (dimensions != null && !dimensions.isNull() && !(dimensions.isIntegralNumber()
                    && dimensions.canConvertToInt() && dimensions.asInt() == 1)) {
                throw ApiException.invalid("dimensions applies to model mirt only; " + model + " has one",
                        Map.of("field", "dimensions"));
            }
            return 1;
        }
        if (dimensions == null || dimensions.isNull() || (dimensions.isString() && dimensions.asString().equals("auto"))) {
            return null;
        }
        if (dimensions.isIntegralNumber() && dimensions.canConvertToInt() && dimensions.asInt() >= 1
                && dimensions.asInt() <= 15) {
            return dimensions.asInt();
        }
        throw ApiException.invalid("dimensions must be an integer from 1 to 15 or \"auto\", got " + dimensions,
                Map.of("field", "dimensions"));
    }

    /**
     * Fits this spec's model on other training models (a backtest fold) with the published calibration's dimension
     * fixed, over every column: items that preprocessing drops become flat items at their training mean.
     */
    public ItemBank refit(ResponseMatrix training, int[] scenarioOfItem, int dimensionsUsed, int threads,
            CalibrationMonitor monitor) {
        CalibrationSpec fixed = new CalibrationSpec(benchmark, version, model, dimensionsUsed, preprocess, List.of(),
                continuous, seed);
        Calibrator.Report report = Calibrator.calibrate(training, fixed.toCalibratorRequest(new int[0], scenarioOfItem,
                threads), monitor);
        return expanded(training, report);
    }

    /** The report's items over every column of {@code data}. */
    static ItemBank expanded(ResponseMatrix data, Calibrator.Report report) {
        int columns = data.items();
        return ItemParameters.expand(report.calibration().items(), report.items(), columns,
                report.items().length == columns ? null : data.columnMeans(report.models()));
    }

    Calibrator.Request toCalibratorRequest(int[] heldOutRows, int[] scenarioOfItem, int threads) {
        return new Calibrator.Request(model, model.equals("mirt") ? dimensions : null, null,
                preprocess.equals("metabench"), heldOutRows, continuous.equals("fractional")
                ? Calibrator.ContinuousScores.FRACTIONAL : Calibrator.ContinuousScores.BINARIZE, scenarioOfItem,
                seed, threads);
    }
}
