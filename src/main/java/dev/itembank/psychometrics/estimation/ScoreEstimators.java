package dev.itembank.psychometrics.estimation;

import java.util.List;

/** The registry of full-score estimators, in the order estimates list them. */
public final class ScoreEstimators {

    public static final List<ScoreEstimator> ALL = List.of(
            // the plain mean of the subset's answers in the scenario
            new ReadingEstimator("subset-mean", false, (reading, s) -> reading.mean()[s]),
            // the subset's weighted mean, sum_k w_k y_k (tinyBenchmarks' anchor estimate, its package's "irt" key)
            new ReadingEstimator("weighted", false, (reading, s) -> reading.weighted()[s]),
            // tinyBenchmarks' p-IRT: the answered share from the answers, the rest from the IRT model
            new ReadingEstimator("pirt", true, (reading, s) -> reading.pirt()[s]),
            new AipwEstimator(),
            new GpirtEstimator(),
            new AdditiveRegressionEstimator(),
            new AbilityGamEstimator(),
            new RidgeEstimator("ridge", false),
            // the same on every subset item, of every scenario (benchmarks of more than one)
            new RidgeEstimator("ridge-joint", true),
            new GeneticProxyEstimator());

    private ScoreEstimators() {
    }

    public static ScoreEstimator byCode(String code) {
        return ALL.stream().filter(e -> e.code().equals(code)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown estimator '" + code + "': use one of "
                        + ALL.stream().map(ScoreEstimator::code).toList()));
    }
}
