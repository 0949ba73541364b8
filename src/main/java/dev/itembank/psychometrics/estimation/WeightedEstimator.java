package dev.itembank.psychometrics.estimation;

/** The subset's weighted mean, sum_k w_k y_k (tinyBenchmarks' anchor estimate, its package's "irt" key). */
final class WeightedEstimator implements ScoreEstimator {

    private static final Fitted FITTED = new Fitted() {
        @Override
        public double predict(Reading reading, int scenario) {
            return reading.weighted()[scenario];
        }

        @Override
        public EstimatorState state() {
            return EstimatorState.of();
        }
    };

    @Override
    public String code() {
        return "weighted";
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
