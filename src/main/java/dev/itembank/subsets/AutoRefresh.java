package dev.itembank.subsets;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.DatasetVersionCreated;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.calibrations.CalibrationQueue;
import dev.itembank.calibrations.CalibrationSpec;
import org.springframework.context.event.EventListener;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per benchmark, optionally: after every new dataset version, queue a calibration of it and then a subset from that
 * calibration, so that the recommended subset follows the data. Older subsets stay valid. The jobs are queued in
 * the transaction that writes the version, so they exist exactly when the version does.
 */
@Tag(name = "Subsets")
@RestController
class AutoRefresh {

    private static final Logger log = LoggerFactory.getLogger(AutoRefresh.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcTemplate jdbc;
    private final Datasets datasets;
    private final CalibrationQueue calibrations;

    AutoRefresh(JdbcTemplate jdbc, Datasets datasets, CalibrationQueue calibrations) {
        this.jdbc = jdbc;
        this.datasets = datasets;
        this.calibrations = calibrations;
    }

    /** The calibration and subset requests to run after each upload; the calibration's version is always the new one. */
    record Settings(CalibrationSpec.Request calibration, SubsetSpec.Request subset, Instant updatedAt) {
    }

    @Operation(operationId = "putAutoRefresh", summary = "Turn on (or change) auto-refresh for a benchmark",
            description = "After each upload, a calibration with these settings is queued for the new version, and "
                    + "then a subset from it. Fields are as in the calibration and subset requests; the calibration's "
                    + "version and the subset's calibration are filled in each time.")
    @PutMapping(path = "/api/v1/benchmarks/{name}/auto-refresh", consumes = "application/json",
            produces = "application/json")
    Settings put(@PathVariable String name, @RequestBody Settings settings) {
        long benchmarkId = datasets.benchmarkId(name);
        CalibrationSpec.Request calibration = settings.calibration() == null
                ? new CalibrationSpec.Request(null, null, null, null, null, null, null) : settings.calibration();
        if (calibration.version() != null && !calibration.version().isNull()) {
            throw ApiException.invalid("auto-refresh calibrates each new version: leave calibration.version out",
                    Map.of("field", "calibration.version"));
        }
        SubsetSpec.Request subset = settings.subset() == null
                ? new SubsetSpec.Request(null, null, null, null, null, null, null) : settings.subset();
        if (subset.calibration() != null) {
            throw ApiException.invalid("auto-refresh selects from the calibration it just made: leave "
                    + "subset.calibration out", Map.of("field", "subset.calibration"));
        }
        SubsetSpec.of(name, null, subset); // validates now rather than at the next upload
        if (datasets.latestVersion(name) > 0) {
            calibrations.prepare(name, calibration); // the settings must run on the data there is now
        }
        jdbc.update("""
                insert into auto_refresh (benchmark_id, calibration, subset) values (?, ?::jsonb, ?::jsonb)
                on conflict (benchmark_id) do update set calibration = excluded.calibration, subset = excluded.subset,
                    updated_at = now()""", benchmarkId, JSON.writeValueAsString(calibration),
                JSON.writeValueAsString(subset));
        return find(benchmarkId).orElseThrow();
    }

    @Operation(operationId = "getAutoRefresh", summary = "A benchmark's auto-refresh settings (404 when off)")
    @GetMapping(path = "/api/v1/benchmarks/{name}/auto-refresh", produces = "application/json")
    Settings get(@PathVariable String name) {
        return find(datasets.benchmarkId(name)).orElseThrow(() -> ApiException.notFound("auto-refresh", name));
    }

    @Operation(operationId = "deleteAutoRefresh", summary = "Turn auto-refresh off")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "auto-refresh is off")
    @DeleteMapping(path = "/api/v1/benchmarks/{name}/auto-refresh")
    ResponseEntity<Void> delete(@PathVariable String name) {
        jdbc.update("delete from auto_refresh where benchmark_id = ?", datasets.benchmarkId(name));
        return ResponseEntity.noContent().build();
    }

    @EventListener
    void versionCreated(DatasetVersionCreated event) {
        Optional<Settings> settings = find(event.benchmarkId());
        if (settings.isEmpty()) {
            return;
        }
        // a setting that no longer fits the data (a held-out model left) skips the refresh: the upload still lands
        CalibrationSpec.Request given = settings.get().calibration();
        CalibrationSpec.Request calibration = new CalibrationSpec.Request(JSON.valueToTree(event.version()),
                given.model(), given.dimensions(), given.preprocess(), given.heldOutModels(), given.continuous(),
                given.seed());
        SubsetSpec subset;
        try {
            subset = SubsetSpec.of(event.benchmark(), null, settings.get().subset());
        } catch (ApiException e) {
            log.warn("Auto-refresh of {} version {} skipped: {}", event.benchmark(), event.version(), e.getMessage());
            return;
        }
        calibrations.queueFollowUp(event.benchmark(), calibration, JSON.valueToTree(subset)).ifPresent(job ->
                log.info("Auto-refresh of {} version {}: calibration queued", event.benchmark(), event.version()));
    }

    private Optional<Settings> find(long benchmarkId) {
        return jdbc.query("select calibration::text, subset::text, updated_at from auto_refresh where benchmark_id = ?",
                (rs, n) -> new Settings(JSON.readValue(rs.getString(1), CalibrationSpec.Request.class),
                        JSON.readValue(rs.getString(2), SubsetSpec.Request.class), rs.getTimestamp(3).toInstant()),
                benchmarkId).stream().findFirst();
    }
}
