package dev.itembank.calibrations;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.itembank.api.ApiException;
import dev.itembank.benchmarks.Datasets;
import dev.itembank.jobs.Jobs;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Validates calibration requests against the benchmark's data and queues their jobs. */
@Component
public class CalibrationQueue {

    private static final Logger log = LoggerFactory.getLogger(CalibrationQueue.class);
    private final Datasets datasets;
    private final Jobs jobs;

    CalibrationQueue(Datasets datasets, Jobs jobs) {
        this.datasets = datasets;
        this.jobs = jobs;
    }

    /**
     * A request checked against the version it names (or the latest), with "latest" resolved, so that the job is
     * reproducible; a 422 naming the field when it cannot run. Writes nothing.
     *
     * @param request the request, or null for every default
     */
    public CalibrationSpec prepare(String benchmark, CalibrationSpec.Request request) {
        CalibrationSpec.Request given = request == null
                ? new CalibrationSpec.Request(null, null, null, null, null, null, null) : request;
        Integer requested = CalibrationSpec.requestedVersion(given.version());
        int latest = datasets.resolve(benchmark, null);
        if (requested != null && requested > latest) {
            throw ApiException.invalid("benchmark " + benchmark + " has no version " + requested + " (latest: "
                    + latest + ")", Map.of("field", "version"));
        }
        int version = requested == null ? latest : requested;
        return CalibrationSpec.of(given, datasets.layout(benchmark, version));
    }

    /**
     * Queues a calibration that the current request asks for (within its key's job quota) and returns the job's id.
     *
     * @param then a subset spec (as JSON, without its calibration) to queue once the calibration is published, or
     *        null
     */
    @Transactional
    public UUID queue(String benchmark, CalibrationSpec.Request request, JsonNode then) {
        CalibrationSpec spec = prepare(benchmark, request);
        return jobs.enqueueRequested(CalibrationJob.TYPE, datasets.benchmarkId(benchmark),
                CalibrationJob.parameters(spec, then));
    }

    /**
     * Queues a follow-up calibration inside the caller's transaction (an upload's), so that the job exists exactly
     * when the version does. A request that cannot run on the new version is checked before anything is written
     * (no exception crosses a transactional boundary, which would doom the upload) and is logged, not queued.
     */
    public Optional<UUID> queueFollowUp(String benchmark, CalibrationSpec.Request request, JsonNode then) {
        CalibrationSpec spec;
        try {
            spec = prepare(benchmark, request);
        } catch (ApiException e) {
            log.warn("Follow-up calibration of {} not queued: {}", benchmark, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(jobs.enqueue(CalibrationJob.TYPE, datasets.benchmarkId(benchmark),
                CalibrationJob.parameters(spec, then)));
    }
}
