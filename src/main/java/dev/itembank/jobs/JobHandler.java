package dev.itembank.jobs;

/**
 * Runs the jobs of one type. {@link #run} computes outside any database transaction and returns what to publish;
 * the runner then publishes it in one transaction together with the job's success, and only while the worker
 * still holds the job's claim, so a result lands once or not at all.
 */
public interface JobHandler {

    /** The job type this handler runs, as stored in {@code job.type}. */
    String type();

    /**
     * Does the work. Throw {@link dev.itembank.api.ApiException} for a failure the submitter caused (stored as the
     * job's problem); poll {@code context} for cancellation in long loops.
     */
    Publication run(Job job, JobContext context) throws Exception;

    /** Writes a job's result; runs inside the completion transaction and returns the result's path. */
    @FunctionalInterface
    interface Publication {
        String publish();
    }
}
