package dev.itembank.psychometrics.estimation;

import java.util.List;

/** The registry of full-score estimators, in the order estimates list them. */
public final class ScoreEstimators {

    public static final List<ScoreEstimator> ALL = List.of(
            // the plain mean of the subset's answers in the scenario
            new ReadingEstimator("subset-mean", false, false, (reading, s) -> reading.mean()[s]),
            // the subset's weighted mean, sum_k w_k y_k (tinyBenchmarks' anchor estimate, its package's "irt" key)
            new ReadingEstimator("weighted", false, false, (reading, s) -> reading.weighted()[s]),
            // tinyBenchmarks' p-IRT: the answered share from the answers, the rest from the IRT model
            new ReadingEstimator("pirt", true, false, (reading, s) -> reading.pirt()[s]),
            // AIPW (Zhang, Dorner and Hardt, 2025): the IRT prediction of the scenario plus the random subset's
            // weighted mean residual; unbiased on a random sample whatever the model's error
            new ReadingEstimator(ReadingEstimator.AIPW, true, true, (reading, s) -> reading.aipw()[s]),
            // AIPW with PPI++'s power tuning (Angelopoulos, Duchi and Zrnic, 2023): the weighted mean plus the
            // prediction's correction scaled by the slope in [0, 1] of least variance on the model's own answers;
            // how a random subset reads a model beyond the training ones (EstimationModel)
            new ReadingEstimator(ReadingEstimator.PPI, true, true, (reading, s) -> reading.ppi()[s]),
            new GpirtEstimator(),
            new AdditiveRegressionEstimator(),
            new AbilityGamEstimator(),
            new RidgeEstimator(),
            new GeneticProxyEstimator());

    private ScoreEstimators() {
    }

    public static ScoreEstimator byCode(String code) {
        return ALL.stream().filter(e -> e.code().equals(code)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown estimator '" + code + "': use one of "
                        + ALL.stream().map(ScoreEstimator::code).toList()));
    }
}
