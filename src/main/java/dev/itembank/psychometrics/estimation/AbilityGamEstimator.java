package dev.itembank.psychometrics.estimation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * metabench's score reconstruction: per scenario, a generalised additive model of the full score on the model's
 * abilities (MAP under N(0, I), every dimension of the calibration), its subscore on the scenario's subset items
 * and its mean subscore over all scenarios ({@code gam(score ~ s(theta) + s(this.s) + s(grand.s))}, fitted on the
 * training models as {@link PenalizedSplines}). Deliberate differences: metabench fits one IRT model per benchmark
 * and adds a linear predictor from a per-item linear model ({@code this.l}); here the abilities come from the
 * subset's one (possibly multidimensional) calibration and the linear predictor is left out (the item-level
 * regression is for an estimator of its own), and the smoothing parameter is one per model chosen by GCV.
 *
 * @see <a href="https://arxiv.org/abs/2407.12844">Kipnis et al. (2025), metabench</a>
 */
final class AbilityGamEstimator implements ScoreEstimator {

    @Override
    public String code() {
        return "metabench";
    }

    @Override
    public boolean needsItems() {
        return true;
    }

    @Override
    public Fitted fit(Training training) {
        PenalizedSplines[] models = new PenalizedSplines[training.scenarios()];
        for (int s = 0; s < models.length; s++) {
            int scenario = s;
            double[][] x = Arrays.stream(training.readings()).map(r -> features(r, scenario)).toArray(double[][]::new);
            models[s] = PenalizedSplines.fit(x, training.truth()[s]);
        }
        return fitted(models);
    }

    @Override
    public Fitted restore(EstimatorState state) {
        int scenarios = (int) state.values().keySet().stream().filter(name -> name.startsWith("beta.")).count();
        PenalizedSplines[] models = new PenalizedSplines[scenarios];
        for (int s = 0; s < scenarios; s++) {
            models[s] = new PenalizedSplines(state.get("low." + s), state.get("high." + s), state.get("centre." + s),
                    state.get("beta." + s));
        }
        return fitted(models);
    }

    /** theta_1..theta_D (MAP), the scenario's subscore, the mean subscore over scenarios. */
    static double[] features(Reading reading, int scenario) {
        double[] theta = reading.thetaMap();
        double[] x = Arrays.copyOf(theta, theta.length + 2);
        x[theta.length] = reading.mean()[scenario];
        x[theta.length + 1] = Arrays.stream(reading.mean()).filter(Double::isFinite).average().orElse(Double.NaN);
        return x;
    }

    private static Fitted fitted(PenalizedSplines[] models) {
        return new Fitted() {
            @Override
            public double predict(Reading reading, int scenario) {
                return models[scenario].predict(features(reading, scenario));
            }

            @Override
            public EstimatorState state() {
                Map<String, double[]> values = new LinkedHashMap<>();
                for (int s = 0; s < models.length; s++) {
                    values.put("low." + s, models[s].low());
                    values.put("high." + s, models[s].high());
                    values.put("centre." + s, models[s].centre());
                    values.put("beta." + s, models[s].beta());
                }
                return new EstimatorState(values);
            }
        };
    }
}
