package dev.itembank.psychometrics.estimation;

/**
 * One way of reading a model's full-benchmark score, per scenario, from its answers on a subset. An estimator is
 * fitted on training models (whose full scores are known) and then predicts for new ones; it saves and restores
 * its own state. A new estimator is one class and one line in {@link ScoreEstimators#ALL}.
 */
public interface ScoreEstimator {

    /** Its name in the API and in stored states ({@code gpirt}). */
    String code();

    /** Whether it needs a calibration (an ability and IRT predictions). */
    default boolean needsItems() {
        return false;
    }

    /** Whether it reads subsets of this design at all (AIPW needs a random sample). */
    default boolean appliesTo(Design design) {
        return true;
    }

    /** Fits on the training models of {@code training}. */
    Fitted fit(Training training);

    /** A fitted estimator from the state it saved. */
    Fitted restore(EstimatorState state);

    /** A fitted estimator: a prediction per scenario, and what it needs to be restored. */
    interface Fitted {
        double predict(Reading reading, int scenario);

        EstimatorState state();
    }

    /**
     * What an estimator may fit on.
     *
     * @param design the subset and calibration the readings come from
     * @param readings each training model's reading
     * @param truth per scenario, each training model's full score
     * @param gpirt gp-IRT's inputs, computed once per subset by {@link GpirtLambda}
     */
    record Training(Design design, Reading[] readings, double[][] truth, GpirtLambda.Inputs gpirt) {

        public int models() {
            return readings.length;
        }

        public int scenarios() {
            return truth.length;
        }
    }
}
