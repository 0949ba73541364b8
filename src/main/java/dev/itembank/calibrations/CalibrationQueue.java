package dev.itembank.calibrations;

import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.jobs.Jobs;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Validates calibration requests against the benchmark's data and queues their jobs. */
@Component
public class CalibrationQueue {

    private final Datasets datasets;
    private final Jobs jobs;

    CalibrationQueue(Datasets datasets, Jobs jobs) {
        this.datasets = datasets;
        this.jobs = jobs;
    }

    /**
     * Queues a calibration ("latest" resolved now, so the job is reproducible) and returns the job's id.
     *
     * @param request the request, or null for every default
     * @param then a subset spec (as JSON, without its calibration) to queue once the calibration is published, or
     *        null
     */
    @Transactional
    public UUID queue(String benchmark, CalibrationSpec.Request request, JsonNode then) {
        CalibrationSpec.Request given = request == null
                ? new CalibrationSpec.Request(null, null, null, null, null, null, null) : request;
        Integer requested = CalibrationSpec.requestedVersion(given.version());
        int latest = datasets.resolve(benchmark, null);
        if (requested != null && requested > latest) {
            throw ApiException.invalid("benchmark " + benchmark + " has no version " + requested + " (latest: "
                    + latest + ")", Map.of("field", "version"));
        }
        int version = requested == null ? latest : requested;
        CalibrationSpec spec = CalibrationSpec.of(given, datasets.layout(benchmark, version));
        return jobs.enqueue(CalibrationJob.TYPE, datasets.benchmarkId(benchmark), CalibrationJob.parameters(spec, then));
    }
}
