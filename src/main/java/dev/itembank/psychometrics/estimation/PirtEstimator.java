package dev.itembank.psychometrics.estimation;

/** tinyBenchmarks' p-IRT ({@link Reading#pirt()}): the answered share from the answers, the rest from the IRT model. */
final class PirtEstimator implements ScoreEstimator {

    private static final Fitted FITTED = new Fitted() {
        @Override
        public double predict(Reading reading, int scenario) {
            return reading.pirt()[scenario];
        }

        @Override
        public EstimatorState state() {
            return EstimatorState.of();
        }
    };

    @Override
    public String code() {
        return "pirt";
    }

    @Override
    public boolean needsItems() {
        return true;
    }

    @Override
    public Fitted fit(Training training) {
        return FITTED;
    }

    @Override
    public Fitted restore(EstimatorState state) {
        return FITTED;
    }
}
