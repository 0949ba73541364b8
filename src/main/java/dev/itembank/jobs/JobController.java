package dev.itembank.jobs;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.PreDestroy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import tools.jackson.databind.JsonNode;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@Tag(name = "Jobs", description = "The durable queue of calibrations and subset selections")
@RestController
@Validated
@RequestMapping("/api/v1/jobs")
class JobController {

    private static final long EVENT_PERIOD_MILLIS = 500;
    private final Jobs jobs;
    private final dev.itembank.benchmarks.Datasets datasets;
    private final ScheduledExecutorService streams = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "job-events");
        thread.setDaemon(true);
        return thread;
    });

    JobController(Jobs jobs, dev.itembank.benchmarks.Datasets datasets) {
        this.jobs = jobs;
        this.datasets = datasets;
    }

    /**
     * A job as clients see it.
     *
     * @param result the path of what the job published, once it succeeded
     * @param error the problem that made it fail
     */
    record JobView(UUID id,
            @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"calibration", "subset", "budget"})
            String type,
            @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"queued", "running", "succeeded", "failed",
                    "cancelled"}) String state, double progress, String message, int attempts,
            boolean cancelRequested, JsonNode parameters, Instant createdAt, Instant startedAt, Instant finishedAt,
            String result, JsonNode error) {

        static JobView of(Job job) {
            return new JobView(job.id(), job.type(), job.state().code(), job.progress(), job.message(), job.attempts(),
                    job.cancelRequested(), job.parameters(), job.createdAt(), job.startedAt(), job.finishedAt(),
                    job.result(), job.error());
        }
    }

    @Operation(operationId = "getJob", summary = "Get a job: state, progress, result or error")
    @GetMapping(path = "/{id}", produces = "application/json")
    JobView get(@PathVariable UUID id) {
        return JobView.of(find(id));
    }

    @Operation(operationId = "listJobs", summary = "List jobs, newest first")
    @GetMapping(produces = "application/json")
    List<JobView> list(
            @Parameter(description = "queued, running, succeeded, failed or cancelled")
            @RequestParam(required = false) String state,
            @Parameter(description = "calibration or subset") @RequestParam(required = false) String type,
            @Parameter(description = "a benchmark's name") @RequestParam(required = false) String benchmark,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        Job.State wanted = null;
        if (state != null) {
            try {
                wanted = Job.State.parse(state);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(e.getMessage(), Map.of("parameter", "state"));
            }
        }
        return jobs.list(wanted, type, benchmark == null ? null : datasets.benchmarkId(benchmark), limit).stream().map(JobView::of).toList();
    }

    @Operation(operationId = "cancelJob", summary = "Cancel a job",
            description = "A queued job is cancelled at once (200); a running one is asked to stop (202) and ends "
                    + "cancelled; a finished one cannot be cancelled (409).")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "cancelled",
            useReturnTypeSchema = true)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202",
            description = "running: asked to stop", useReturnTypeSchema = true)
    @DeleteMapping(path = "/{id}", produces = "application/json")
    ResponseEntity<JobView> cancel(@PathVariable UUID id) {
        Job before = find(id);
        if (before.state().finished() || !jobs.cancel(id)) {
            Job now = find(id);
            throw new ApiException(ProblemType.CONFLICT, "Job " + id + " already finished (" + now.state().code()
                    + ") and cannot be cancelled", Map.of("state", now.state().code()));
        }
        Job after = find(id);
        return ResponseEntity.status(after.state().finished() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(JobView.of(after));
    }

    @Operation(operationId = "streamJobEvents", summary = "Stream a job's progress as server-sent events",
            description = "Sends a 'progress' event with the job whenever it changes, then one 'finished' event "
                    + "when it ends, and closes.")
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable UUID id) {
        find(id);
        SseEmitter emitter = new SseEmitter(TimeUnit.HOURS.toMillis(6));
        AtomicReference<JobView> last = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            done.set(true);
            ScheduledFuture<?> scheduled = task.get();
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        };
        Runnable send = () -> {
            if (done.get()) {
                stop.run();
                return;
            }
            try {
                Job job = find(id);
                JobView view = JobView.of(job);
                if (!view.equals(last.getAndSet(view))) {
                    emitter.send(SseEmitter.event().name(job.state().finished() ? "finished" : "progress")
                            .id(job.state().code() + "-" + job.progress()).data(view, MediaType.APPLICATION_JSON));
                }
                if (job.state().finished()) {
                    stop.run();
                    emitter.complete();
                }
            } catch (IOException | RuntimeException e) {
                stop.run();
                emitter.completeWithError(e);
            }
        };
        task.set(streams.scheduleWithFixedDelay(send, 0, EVENT_PERIOD_MILLIS, TimeUnit.MILLISECONDS));
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(error -> stop.run());
        return emitter;
    }

    @PreDestroy
    void close() {
        streams.shutdownNow();
    }

    private Job find(UUID id) {
        return jobs.find(id).orElseThrow(() -> ApiException.notFound("job", id));
    }
}
