package dev.itembank.calibrations;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.MatrixCsv;
import dev.itembank.benchmarks.DatasetLayout;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.jobs.JobAccepted;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.MultidimensionalItems;
import dev.itembank.psychometrics.irt.UnidimensionalItems;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Calibrations", description = "IRT fits of a dataset version, published by calibration jobs")
@RestController
class CalibrationController {

    private final Datasets datasets;
    private final Calibrations calibrations;
    private final CalibrationQueue queue;

    CalibrationController(Datasets datasets, Calibrations calibrations, CalibrationQueue queue) {
        this.datasets = datasets;
        this.calibrations = calibrations;
        this.queue = queue;
    }

    @Operation(operationId = "createCalibration", summary = "Queue a calibration of a dataset version",
            description = "The body is required ({} for every default); every field in it is optional: version "
                    + "latest, model mirt, dimensions auto (tinyBenchmarks' "
                    + "choice among 2, 5, 10, 15), preprocess none, no held-out models, continuous scores "
                    + "binarized, seed 0. Answers 202 with the job's Location; the job's result is the calibration.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "the calibration job is queued; follow its Location",
            useReturnTypeSchema = true)
    @PostMapping(path = "/api/v1/benchmarks/{name}/calibrations", consumes = "application/json",
            produces = "application/json")
    ResponseEntity<JobAccepted> create(@PathVariable String name,
            @RequestBody CalibrationSpec.Request request) {
        return JobAccepted.response(queue.queue(name, request, null), CalibrationJob.TYPE);
    }

    record CalibrationSummary(UUID id, String benchmark, int version, int datasetVersion, UUID job, String model,
            int dimensions, CalibrationSpec request, Instant createdAt, String href) {

        static CalibrationSummary of(Calibrations.StoredCalibration c) {
            return new CalibrationSummary(c.id(), c.spec().benchmark(), c.version(), c.datasetVersion(), c.jobId(),
                    c.model(), c.dimensions(), c.spec(), c.createdAt(), "/api/v1/calibrations/" + c.id());
        }
    }

    record CalibrationView(UUID id, String benchmark, int version, int datasetVersion, UUID job, String model,
            int dimensions, CalibrationSpec request, List<String> heldOutModels, JsonNode diagnostics,
            Instant createdAt, List<Map<String, Object>> items, List<Map<String, Object>> abilities) {
    }

    @Operation(operationId = "listCalibrations", summary = "List a benchmark's calibrations")
    @GetMapping(path = "/api/v1/benchmarks/{name}/calibrations", produces = "application/json")
    List<CalibrationSummary> list(@PathVariable String name) {
        return calibrations.list(datasets.benchmarkId(name)).stream().map(CalibrationSummary::of).toList();
    }

    @Operation(operationId = "getCalibration", summary = "Get a calibration: item parameters, abilities, diagnostics",
            description = "?format=csv gives the item parameters in mirt's slope-intercept form: item_id,a,d,g,u "
                    + "for unidimensional models, item_id,d,a1,...,aD for multidimensional ones (items that "
                    + "preprocessing dropped are left out).")
    @GetMapping(path = "/api/v1/calibrations/{id}", produces = {"application/json", "text/csv"})
    ResponseEntity<?> get(@PathVariable UUID id,
            @Parameter(description = "json (default) or csv") @RequestParam(defaultValue = "json") String format) {
        Calibrations.StoredCalibration calibration = calibrations.require(id);
        DatasetLayout layout = datasets.layout(calibration.spec().benchmark(), calibration.datasetVersion());
        ItemBank items = calibrations.items(id);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().eTag("\"calibration-" + id + "\"")
                .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).immutable());
        return switch (format) {
            case "csv" -> ok.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                    .header("Content-Disposition", "attachment; filename=\"calibration-" + id + ".csv\"")
                    .body(csv(items, layout, calibration.droppedColumns()));
            case "json" -> ok.contentType(MediaType.APPLICATION_JSON).body(view(calibration, layout, items));
            default -> throw ApiException.invalid("format must be json or csv, got '" + format + "'",
                    Map.of("parameter", "format"));
        };
    }

    private CalibrationView view(Calibrations.StoredCalibration c, DatasetLayout layout, ItemBank items) {
        boolean[] dropped = droppedMask(c.droppedColumns(), items.items());
        List<Map<String, Object>> itemViews = new ArrayList<>(items.items());
        for (int j = 0; j < items.items(); j++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("itemId", layout.itemIds().get(j));
            item.put("scenario", layout.scenarios().get(j));
            if (items instanceof UnidimensionalItems uni) {
                item.put("a", uni.slope()[j]);
                item.put("d", uni.intercept()[j]);
                item.put("g", uni.guessing()[j]);
                item.put("u", uni.upper()[j]);
            } else {
                MultidimensionalItems multi = (MultidimensionalItems) items;
                item.put("d", multi.intercepts()[j]);
                item.put("a", java.util.Arrays.copyOfRange(multi.slopes(), j * multi.dimensions(),
                        (j + 1) * multi.dimensions()));
            }
            if (dropped[j]) {
                item.put("dropped", true);
            }
            itemViews.add(item);
        }
        List<Map<String, Object>> abilities = new ArrayList<>();
        calibrations.abilities(c.id(), c.dimensions()).forEach((model, theta) -> abilities.add(Map.of("model", model,
                "theta", theta)));
        return new CalibrationView(c.id(), c.spec().benchmark(), c.version(), c.datasetVersion(), c.jobId(), c.model(),
                c.dimensions(), c.spec(), c.heldOutModels(), c.diagnostics(), c.createdAt(), itemViews, abilities);
    }

    static String csv(ItemBank items, DatasetLayout layout, int[] droppedColumns) {
        boolean[] dropped = droppedMask(droppedColumns, items.items());
        StringBuilder csv = new StringBuilder();
        if (items instanceof UnidimensionalItems uni) {
            csv.append("item_id,a,d,g,u\n");
            for (int j = 0; j < items.items(); j++) {
                if (!dropped[j]) {
                    csv.append(MatrixCsv.field(layout.itemIds().get(j))).append(',').append(uni.slope()[j]).append(',')
                            .append(uni.intercept()[j]).append(',').append(uni.guessing()[j]).append(',')
                            .append(uni.upper()[j]).append('\n');
                }
            }
            return csv.toString();
        }
        MultidimensionalItems multi = (MultidimensionalItems) items;
        csv.append("item_id,d");
        for (int k = 1; k <= multi.dimensions(); k++) {
            csv.append(",a").append(k);
        }
        csv.append('\n');
        for (int j = 0; j < items.items(); j++) {
            if (!dropped[j]) {
                csv.append(MatrixCsv.field(layout.itemIds().get(j))).append(',').append(multi.intercepts()[j]);
                for (int k = 0; k < multi.dimensions(); k++) {
                    csv.append(',').append(multi.slope(j, k));
                }
                csv.append('\n');
            }
        }
        return csv.toString();
    }

    private static boolean[] droppedMask(int[] droppedColumns, int items) {
        boolean[] dropped = new boolean[items];
        for (int j : droppedColumns) {
            dropped[j] = true;
        }
        return dropped;
    }
}
