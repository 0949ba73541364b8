package dev.itembank.psychometrics.estimation;

import java.util.List;
import java.util.Map;

/**
 * A model's estimated full-benchmark scores: per scenario and overall (the mean of the scenario scores), each
 * with the estimator used, a calibrated central interval and every estimator's value.
 */
public record ScoreEstimate(List<Part> scenarios, Part overall) {

    /**
     * @param estimate the chosen estimator's value
     * @param lower interval's lower end
     * @param upper interval's upper end
     * @param level the interval's nominal coverage
     * @param estimator the estimator chosen (lowest cross-validated error on the training models)
     * @param estimators every available estimator's value, by code
     * @param extrapolated whether the model lies beyond the training models (then the estimator is AIPW, or the
     *        weighted mean without a calibration, and the interval is at least that reading's sampling interval)
     */
    public record Part(double estimate, double lower, double upper, double level, String estimator,
            Map<String, Double> estimators, boolean extrapolated) {
    }
}
