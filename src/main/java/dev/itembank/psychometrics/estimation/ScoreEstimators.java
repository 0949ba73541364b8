package dev.itembank.psychometrics.estimation;

import java.util.List;

/** The registry of full-score estimators, in the order estimates list them. */
public final class ScoreEstimators {

    public static final List<ScoreEstimator> ALL = List.of(
            new SubsetMeanEstimator(),
            new WeightedEstimator(),
            new PirtEstimator(),
            new GpirtEstimator(),
            new AdditiveRegressionEstimator(),
            new MetabenchEstimator(),
            new GeneticProxyEstimator());

    private ScoreEstimators() {
    }

    public static ScoreEstimator byCode(String code) {
        return ALL.stream().filter(e -> e.code().equals(code)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown estimator '" + code + "': use one of "
                        + ALL.stream().map(ScoreEstimator::code).toList()));
    }
}
