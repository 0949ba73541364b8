package dev.itembank.jobs;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The job runner's settings ({@code itembank.jobs.*}).
 *
 * @param enabled whether this instance runs jobs (an API-only replica sets false; it still queues them)
 * @param workers jobs this instance runs at once; 0 means the number of cores
 * @param lease how long a claim lasts without a heartbeat: a job whose worker died is claimed again after it
 * @param heartbeatInterval how often a worker extends its leases and records progress (well under the lease)
 * @param pollInterval how often an idle worker looks for queued jobs
 * @param maxAttempts claims before a job whose workers keep dying is failed instead of claimed again
 * @param shutdownGrace how long a stopping instance waits for its jobs to stop before handing them back
 * @param threadsPerJob compute threads a job's fit uses; 0 means the number of cores less one, so that a running
 *        calibration leaves a core for answering requests
 * @param nice the scheduling niceness (Linux, 0..19) of job threads, so that computations take the CPU requests
 *        leave idle; 0 keeps the normal priority
 * @param maxActivePerKey queued and running jobs one API key may have at once (calibrations and subsets it asked
 *        for; jobs that auto-refresh queues count for nobody); one more is a 429
 */
@Validated
@ConfigurationProperties("itembank.jobs")
public record JobsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0") @Min(0) @Max(256) int workers,
        @NotNull @DefaultValue("60s") Duration lease,
        @NotNull @DefaultValue("2s") Duration heartbeatInterval,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("3") @Min(1) int maxAttempts,
        @NotNull @DefaultValue("10s") Duration shutdownGrace,
        @DefaultValue("0") @Min(0) @Max(256) int threadsPerJob,
        @DefaultValue("10") @Min(0) @Max(19) int nice,
        @DefaultValue("10") @Min(1) int maxActivePerKey) {

    public JobsProperties {
        if (heartbeatInterval.compareTo(lease.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("itembank.jobs.heartbeat-interval (" + heartbeatInterval
                    + ") must be at most half of itembank.jobs.lease (" + lease + ")");
        }
    }

    /** The configured compute threads per job, or the number of cores less one (at least 1). */
    public int effectiveThreadsPerJob() {
        return threadsPerJob > 0 ? threadsPerJob : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** The configured worker count, or the number of cores. */
    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
