package dev.itembank.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * The job queue as metrics: {@code itembank.jobs} (gauge, tags {@code type} and {@code state}: how many jobs
 * each type has in each state, across every replica, read from the queue at most every 5 s),
 * {@code itembank.jobs.queue.depth} (queued jobs) and {@code itembank.jobs.duration} (timer, tags {@code type} and
 * {@code outcome}: succeeded, failed, cancelled, handed-back, lost; the jobs this replica ran).
 */
@Component
class JobMetrics implements MeterBinder {

    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
    private final Jobs jobs;
    private final List<String> types;
    private MeterRegistry registry;
    private volatile Map<String, Map<String, Long>> counts = Map.of();
    private volatile long readAt = System.nanoTime() - 2 * FRESH_NANOS;

    JobMetrics(Jobs jobs, List<JobHandler> handlers) {
        this.jobs = jobs;
        this.types = handlers.stream().map(JobHandler::type).sorted().toList();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String type : types) {
            for (Job.State state : Job.State.values()) {
                Gauge.builder("itembank.jobs", this, metrics -> metrics.count(type, state.code()))
                        .description("jobs by type and state, in the shared queue").tag("type", type)
                        .tag("state", state.code()).register(registry);
            }
        }
        Gauge.builder("itembank.jobs.queue.depth", this, metrics -> types.stream()
                .mapToDouble(type -> metrics.count(type, Job.State.QUEUED.code())).sum())
                .description("jobs waiting to be claimed, in the shared queue").register(registry);
    }

    void finished(String type, String outcome, long nanos) {
        if (registry != null) {
            Timer.builder("itembank.jobs.duration").description("how long the jobs this replica ran took")
                    .tag("type", type).tag("outcome", outcome).register(registry).record(Duration.ofNanos(nanos));
        }
    }

    private double count(String type, String state) {
        if (System.nanoTime() - readAt > FRESH_NANOS) {
            try {
                counts = jobs.countsByTypeAndState();
            } catch (RuntimeException e) {
                // the database is away: no figure rather than a stale one, and no second wait for a connection in
                // the same scrape (each gauge would wait out the pool's timeout: minutes per scrape)
                counts = null;
            }
            readAt = System.nanoTime();
        }
        Map<String, Map<String, Long>> read = counts;
        if (read == null) {
            return Double.NaN;
        }
        return read.getOrDefault(type, Map.of()).getOrDefault(state, 0L);
    }
}
