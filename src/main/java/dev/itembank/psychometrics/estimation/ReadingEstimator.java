package dev.itembank.psychometrics.estimation;

import java.util.function.ToDoubleBiFunction;

/**
 * An estimator that reads the score straight off the model's {@link Reading} and fits nothing (subset mean,
 * weighted mean, p-IRT, AIPW, ppi): its state is empty.
 *
 * @param randomOnly whether it reads random samples only (AIPW and ppi: their residual correction is what makes
 *        them unbiased there)
 * @param reads the reading of a scenario, {@code (reading, scenario) -> score}
 */
record ReadingEstimator(String code, boolean needsItems, boolean randomOnly, ToDoubleBiFunction<Reading, Integer> reads)
        implements ScoreEstimator {

    /** AIPW's code ({@link Reading#aipw()}). */
    static final String AIPW = "aipw";
    /** ppi's code ({@link Reading#ppi()}). */
    static final String PPI = "ppi";

    @Override
    public boolean appliesTo(Design design) {
        return !randomOnly || design.randomSample();
    }

    @Override
    public Fitted fit(Training training) {
        return fitted();
    }

    @Override
    public Fitted restore(EstimatorState state) {
        return fitted();
    }

    private Fitted fitted() {
        return new Fitted() {
            @Override
            public double predict(Reading reading, int scenario) {
                return reads.applyAsDouble(reading, scenario);
            }

            @Override
            public EstimatorState state() {
                return EstimatorState.of();
            }
        };
    }
}
