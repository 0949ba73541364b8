package dev.itembank.psychometrics.estimation;

import java.util.Arrays;

import dev.itembank.psychometrics.matrix.LeastSquares;

/**
 * The genetic selection's proxy: per scenario, the least-squares line score = a + b * (subset mean) fitted on the
 * training models.
 */
final class GeneticProxyEstimator implements ScoreEstimator {

    @Override
    public String code() {
        return "genetic-proxy";
    }

    @Override
    public Fitted fit(Training training) {
        double[] intercept = new double[training.scenarios()];
        double[] slope = new double[training.scenarios()];
        for (int s = 0; s < intercept.length; s++) {
            int scenario = s;
            double[] x = Arrays.stream(training.readings()).mapToDouble(r -> r.mean()[scenario]).toArray();
            double[] line = LeastSquares.line(x, training.truth()[s], l -> true);
            intercept[s] = line[0];
            slope[s] = line[1];
        }
        return fitted(intercept, slope);
    }

    @Override
    public Fitted restore(EstimatorState state) {
        return fitted(state.get("intercept"), state.get("slope"));
    }

    private static Fitted fitted(double[] intercept, double[] slope) {
        return new Fitted() {
            @Override
            public double predict(Reading reading, int scenario) {
                return intercept[scenario] + slope[scenario] * reading.mean()[scenario];
            }

            @Override
            public EstimatorState state() {
                return EstimatorState.of("intercept", intercept.clone(), "slope", slope.clone());
            }
        };
    }
}
