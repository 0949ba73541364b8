package dev.itembank.psychometrics.estimation;

import java.util.function.ToDoubleBiFunction;

/**
 * An estimator that reads the score straight off the model's {@link Reading} and fits nothing (subset mean,
 * weighted mean, p-IRT): its state is empty.
 *
 * @param reads the reading of a scenario, {@code (reading, scenario) -> score}
 */
record ReadingEstimator(String code, boolean needsItems, ToDoubleBiFunction<Reading, Integer> reads)
        implements ScoreEstimator {

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
