package dev.itembank.psychometrics.estimation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per scenario, an additive penalised cubic regression of the full score on (weighted mean, p-IRT), fitted on the
 * training models ({@link AdditiveRegression}). Not metabench's estimator: a fixed penalty and cubic terms instead
 * of its penalised splines on abilities and subscores.
 */
final class AdditiveRegressionEstimator implements ScoreEstimator {

    @Override
    public String code() {
        return "regression";
    }

    @Override
    public boolean needsItems() {
        return true;
    }

    @Override
    public Fitted fit(Training training) {
        AdditiveRegression[] regressions = new AdditiveRegression[training.scenarios()];
        for (int s = 0; s < regressions.length; s++) {
            int scenario = s;
            double[][] x = Arrays.stream(training.readings()).map(r -> features(r, scenario)).toArray(double[][]::new);
            regressions[s] = AdditiveRegression.fit(x, training.truth()[s]);
        }
        return fitted(regressions);
    }

    @Override
    public Fitted restore(EstimatorState state) {
        int scenarios = (int) state.values().keySet().stream().filter(name -> name.startsWith("beta.")).count();
        AdditiveRegression[] regressions = new AdditiveRegression[scenarios];
        for (int s = 0; s < scenarios; s++) {
            regressions[s] = new AdditiveRegression(state.get("centre." + s), state.get("scale." + s),
                    state.get("beta." + s));
        }
        return fitted(regressions);
    }

    private static double[] features(Reading reading, int scenario) {
        return new double[] {reading.weighted()[scenario], reading.pirt()[scenario]};
    }

    private static Fitted fitted(AdditiveRegression[] regressions) {
        return new Fitted() {
            @Override
            public double predict(Reading reading, int scenario) {
                return regressions[scenario].predict(features(reading, scenario));
            }

            @Override
            public EstimatorState state() {
                Map<String, double[]> values = new LinkedHashMap<>();
                for (int s = 0; s < regressions.length; s++) {
                    values.put("centre." + s, regressions[s].centre());
                    values.put("scale." + s, regressions[s].scale());
                    values.put("beta." + s, regressions[s].beta());
                }
                return new EstimatorState(values);
            }
        };
    }
}
