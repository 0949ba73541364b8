package dev.itembank.psychometrics.irt;

/** Thrown from a fit whose {@link CalibrationMonitor} asked it to stop. */
public class CalibrationCancelledException extends RuntimeException {

    public CalibrationCancelledException() {
        super("the calibration was cancelled");
    }
}
