package dev.itembank.psychometrics.irt;

/** Progress and cancellation for long fits, so that a job runner can report and stop them. */
public interface CalibrationMonitor {

    /** A monitor that reports nowhere and never cancels. */
    CalibrationMonitor NONE = new CalibrationMonitor() {
        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    /** Called after each iteration with the fraction done in [0, 1] (an upper bound on the work left). */
    void progress(double fraction, String message);

    /** Polled between iterations; when true the fit stops with {@link CalibrationCancelledException}. */
    boolean cancelled();

    default void checkCancelled() {
        if (cancelled()) {
            throw new CalibrationCancelledException();
        }
    }
}
