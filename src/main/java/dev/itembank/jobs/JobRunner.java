package dev.itembank.jobs;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.itembank.api.ApiException;
import dev.itembank.psychometrics.irt.CalibrationCancelledException;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs queued jobs on at most {@code itembank.jobs.workers} threads of this instance. A poller claims jobs while a
 * worker is free; a heartbeat extends the claims' leases, records progress and notices cancels and lost claims; a
 * stopping instance asks its jobs to stop and hands them back to the queue. When an instance dies without stopping,
 * its leases run out and another instance claims its jobs again: the computations are deterministic, so the result
 * is the same.
 */
@Component
class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private final Jobs jobs;
    private final JobMetrics metrics;
    private final JobsProperties properties;
    private final TransactionTemplate transactions;
    private final Map<String, JobHandler> handlers;
    private final String worker = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final Map<UUID, Running> running = new ConcurrentHashMap<>();
    private final Object wakeUp = new Object();
    private volatile boolean active;
    private long lastReap = System.nanoTime() - Long.MAX_VALUE / 2;
    private Semaphore free;
    private ExecutorService workers;
    private ScheduledExecutorService heartbeat;
    private Thread poller;

    private record Running(Job job, UUID token, JobContext context) {
    }

    JobRunner(Jobs jobs, JobsProperties properties, TransactionTemplate transactions, List<JobHandler> handlers,
            JobMetrics metrics) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.properties = properties;
        this.transactions = transactions;
        this.handlers = handlers.stream().collect(Collectors.toMap(JobHandler::type, Function.identity()));
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || active) {
            return;
        }
        int count = properties.effectiveWorkers();
        free = new Semaphore(count);
        java.util.concurrent.ThreadFactory plain = threads("job-worker-", false);
        workers = Executors.newFixedThreadPool(count, task -> plain.newThread(() -> {
            BackgroundPriority.apply(properties.nice());
            task.run();
        }));
        heartbeat = Executors.newSingleThreadScheduledExecutor(threads("job-heartbeat-", true));
        long period = properties.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        active = true;
        poller = threads("job-poller-", false).newThread(this::poll); // keeps a worker-only instance alive
        poller.start();
        log.info("Job runner {} started with {} workers (lease {}, heartbeat {})", worker, count, properties.lease(),
                properties.heartbeatInterval());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void queued(Jobs.Queued event) {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void poll() {
        while (active) {
            try {
                free.acquire();
                Optional<Jobs.Claim> claim = active ? claimNext() : Optional.empty();
                if (claim.isPresent()) {
                    Running run = new Running(claim.get().job(), claim.get().token(),
                            new JobContext(properties.effectiveThreadsPerJob()));
                    running.put(run.job().id(), run);
                    workers.execute(() -> execute(run));
                    continue;
                }
                free.release();
                synchronized (wakeUp) {
                    wakeUp.wait(properties.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                free.release();
                log.warn("Job poller could not reach the queue: {}", e.getMessage());
                sleep(properties.pollInterval().toMillis());
            }
        }
    }

    private Optional<Jobs.Claim> claimNext() {
        long now = System.nanoTime();
        // expired jobs are found at lease granularity: no need to look on every poll
        if (now - lastReap >= properties.lease().toNanos() / 4) {
            lastReap = now;
            int reaped = jobs.reap(properties.maxAttempts());
            if (reaped > 0) {
                log.warn("Finished {} jobs whose workers stopped responding", reaped);
            }
        }
        Optional<Jobs.Claim> claim = jobs.claim(worker, properties.lease(), properties.maxAttempts());
        claim.ifPresent(c -> log.info("Claimed job {} ({}, attempt {})", c.job().id(), c.job().type(),
                c.job().attempts()));
        return claim;
    }

    private void execute(Running run) {
        Job job = run.job();
        long started = System.nanoTime();
        String outcome = "failed";
        org.slf4j.MDC.put("jobId", job.id().toString());
        try {
            JobHandler handler = handlers.get(job.type());
            if (handler == null) {
                throw new IllegalStateException("no handler for job type '" + job.type() + "'");
            }
            JobHandler.Publication publication = handler.run(job, run.context());
            run.context().checkCancelled();
            Boolean published = transactions.execute(status -> {
                String result = publication.publish();
                if (!jobs.succeed(job.id(), run.token(), result)) {
                    status.setRollbackOnly();
                    return false;
                }
                return true;
            });
            outcome = Boolean.TRUE.equals(published) ? "succeeded" : "lost";
            log.info("Job {} {}", job.id(), Boolean.TRUE.equals(published) ? "succeeded"
                    : "finished after its claim was lost: result discarded");
        } catch (CalibrationCancelledException e) {
            outcome = run.context().stop() == JobContext.Stop.SHUTDOWN ? "handed-back" : "cancelled";
            stopped(run);
        } catch (ApiException e) {
            jobs.fail(job.id(), run.token(), JobProblems.of(e, "/api/v1/jobs/" + job.id()));
            log.info("Job {} failed: {}", job.id(), e.getMessage());
        } catch (Exception | LinkageError e) {
            if (run.context().cancelled()) {
                stopped(run);
            } else {
                String reference = UUID.randomUUID().toString();
                log.error("Job {} failed (reference {})", job.id(), reference, e);
                jobs.fail(job.id(), run.token(), JobProblems.internal(reference, "/api/v1/jobs/" + job.id()));
            }
        } finally {
            metrics.finished(job.type(), outcome, System.nanoTime() - started);
            org.slf4j.MDC.remove("jobId");
            running.remove(job.id());
            free.release();
        }
    }

    private void stopped(Running run) {
        switch (run.context().stop()) {
            case SHUTDOWN -> {
                jobs.release(run.job().id(), run.token());
                log.info("Job {} handed back to the queue", run.job().id());
            }
            case LOST -> log.warn("Job {} stopped: its claim was lost", run.job().id());
            default -> jobs.cancelled(run.job().id(), run.token());
        }
    }

    private void beat() {
        for (Running run : running.values()) {
            try {
                Jobs.Heartbeat beat = jobs.heartbeat(run.job().id(), run.token(), properties.lease(),
                        run.context().progress(), run.context().message());
                if (!beat.held()) {
                    run.context().stop(JobContext.Stop.LOST);
                } else if (beat.cancelRequested()) {
                    run.context().stop(JobContext.Stop.CANCELLED);
                }
            } catch (RuntimeException e) {
                log.warn("Heartbeat of job {} failed: {}", run.job().id(), e.getMessage());
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (!active) {
            return;
        }
        active = false;
        poller.interrupt();
        running.values().forEach(run -> run.context().stop(JobContext.Stop.SHUTDOWN));
        workers.shutdown();
        try {
            if (!workers.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                // computations that do not poll for cancellation: hand their jobs back now; their late results
                // cannot publish, because the claim token is gone
                running.values().forEach(run -> {
                    jobs.release(run.job().id(), run.token());
                    log.info("Job {} handed back to the queue", run.job().id());
                });
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeat.shutdownNow();
        log.info("Job runner {} stopped", worker);
    }

    @Override
    public boolean isRunning() {
        return active;
    }

    /**
     * Stops after the web server (whose graceful shutdown is at {@code DEFAULT_PHASE - 1024}, its stop at
     * {@code - 2048}): a stopping instance first stops accepting and drains its requests, then hands its jobs back,
     * and the database (a bean) goes last.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix, boolean daemon) {
        java.util.concurrent.atomic.AtomicInteger number = new java.util.concurrent.atomic.AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + number.incrementAndGet());
            thread.setDaemon(daemon);
            return thread;
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
