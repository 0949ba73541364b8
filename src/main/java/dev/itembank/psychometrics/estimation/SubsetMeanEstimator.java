package dev.itembank.psychometrics.estimation;

/** The plain mean of the subset's answers in the scenario: nothing to fit. */
final class SubsetMeanEstimator implements ScoreEstimator {

    private static final Fitted FITTED = new Fitted() {
        @Override
        public double predict(Reading reading, int scenario) {
            return reading.mean()[scenario];
        }

        @Override
        public EstimatorState state() {
            return EstimatorState.of();
        }
    };

    @Override
    public String code() {
        return "subset-mean";
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
