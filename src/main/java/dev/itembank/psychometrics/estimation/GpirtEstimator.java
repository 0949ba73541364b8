package dev.itembank.psychometrics.estimation;

/**
 * tinyBenchmarks' gp-IRT: gpirt_s = lambda_s weighted_s + (1 - lambda_s) pirt_s, with lambda_s by the package's
 * rule ({@link GpirtLambda}): lambda = b^2 / (b^2 + v / (c n)).
 */
final class GpirtEstimator implements ScoreEstimator {

    @Override
    public String code() {
        return "gpirt";
    }

    @Override
    public boolean needsItems() {
        return true;
    }

    @Override
    public Fitted fit(Training training) {
        GpirtLambda.Inputs inputs = training.gpirt();
        double[] lambda = new double[training.scenarios()];
        for (int s = 0; s < lambda.length; s++) {
            lambda[s] = GpirtLambda.lambda(inputs.bias()[s], inputs.variance()[s], inputs.c(),
                    Math.max(1, training.design().itemsIn(s)));
        }
        return fitted(lambda);
    }

    @Override
    public Fitted restore(EstimatorState state) {
        return fitted(state.get("lambda"));
    }

    /** A gp-IRT with given lambdas (the package's own, for instance). */
    static Fitted fitted(double[] lambda) {
        return new Fitted() {
            @Override
            public double predict(Reading reading, int scenario) {
                return lambda[scenario] * reading.weighted()[scenario]
                        + (1 - lambda[scenario]) * reading.pirt()[scenario];
            }

            @Override
            public EstimatorState state() {
                return EstimatorState.of("lambda", lambda.clone());
            }
        };
    }
}
