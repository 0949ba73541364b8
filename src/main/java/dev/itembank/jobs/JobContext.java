package dev.itembank.jobs;

import dev.itembank.psychometrics.irt.CalibrationMonitor;

/**
 * What a running job sees of its runner: where to report progress and whether to stop (the job was cancelled,
 * the instance is shutting down, or the claim was lost to another worker). The heartbeat writes the latest
 * progress to the database.
 */
public final class JobContext implements CalibrationMonitor {

    enum Stop { NONE, CANCELLED, SHUTDOWN, LOST }

    private final int threads;
    private volatile double progress;
    private volatile String message;
    private volatile Stop stop = Stop.NONE;

    JobContext(int threads) {
        this.threads = threads;
    }

    /** Compute threads the job may use ({@code itembank.jobs.threads-per-job}). */
    public int threads() {
        return threads;
    }

    @Override
    public void progress(double fraction, String text) {
        progress = Math.max(progress, Math.max(0, Math.min(1, fraction)));
        message = text;
    }

    @Override
    public boolean cancelled() {
        return stop != Stop.NONE;
    }

    double progress() {
        return progress;
    }

    String message() {
        return message;
    }

    Stop stop() {
        return stop;
    }

    void stop(Stop reason) {
        if (stop == Stop.NONE) {
            stop = reason;
        }
    }
}
