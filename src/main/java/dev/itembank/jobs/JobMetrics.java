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
 * each type has in each state, across every replica, read from the queue every 5 s by a thread of its own, so that
 * a scrape never waits for the database: while it cannot be read, the gauges are NaN),
 * {@code itembank.jobs.queue.depth} (queued jobs) and {@code itembank.jobs.duration} (timer, tags {@code type} and
 * {@code outcome}: succeeded, failed, cancelled, handed-back, lost; the jobs this replica ran).
 */
@Component
class JobMetrics implements MeterBinder, org.springframework.beans.factory.DisposableBean {

    private static final long PERIOD_SECONDS = 5;
    private final Jobs jobs;
    private final List<String> types;
    private MeterRegistry registry;
    /** The latest counts, null while the queue cannot be read. */
    private volatile Map<String, Map<String, Long>> counts;
    private final java.util.concurrent.ScheduledExecutorService reader =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "job-metrics");
                thread.setDaemon(true);
                return thread;
            });

    JobMetrics(Jobs jobs, List<JobHandler> handlers) {
        this.jobs = jobs;
        this.types = handlers.stream().map(JobHandler::type).sorted().toList();
        reader.scheduleWithFixedDelay(this::read, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private void read() {
        try {
            counts = jobs.countsByTypeAndState();
        } catch (RuntimeException e) {
            counts = null; // the database is away: no figure rather than a stale one
        }
    }

    @Override
    public void destroy() {
        reader.shutdownNow();
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
        Map<String, Map<String, Long>> read = counts;
        if (read == null) {
            return Double.NaN;
        }
        return read.getOrDefault(type, Map.of()).getOrDefault(state, 0L);
    }
}
