package dev.itembank.psychometrics.estimation;

/**
 * AIPW (Zhang, Dorner and Hardt, 2025): the IRT model's prediction of the whole scenario plus the random subset's
 * weighted mean residual ({@link Reading#aipw()}). It fits nothing; it reads only random samples (or a subset's random
 * part, {@link Design#aipwWeights()}), where the
 * residual correction makes it unbiased whatever the model's error, which is what keeps it honest for a new model
 * beyond the training models (the fallback of {@link EstimationModel} there).
 */
final class AipwEstimator implements ScoreEstimator {

    static final String CODE = "aipw";

    @Override
    public String code() {
        return CODE;
    }

    @Override
    public boolean needsItems() {
        return true;
    }

    @Override
    public boolean appliesTo(Design design) {
        return design.randomSample() || design.randomPart() != null;
    }

    @Override
    public Fitted fit(Training training) {
        return fitted();
    }

    @Override
    public Fitted restore(EstimatorState state) {
        return fitted();
    }

    private static Fitted fitted() {
        return new Fitted() {
            @Override
            public double predict(Reading reading, int scenario) {
                return reading.aipw()[scenario];
            }

            @Override
            public EstimatorState state() {
                return EstimatorState.of();
            }
        };
    }
}
