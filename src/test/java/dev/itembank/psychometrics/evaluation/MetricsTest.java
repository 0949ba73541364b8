package dev.itembank.psychometrics.evaluation;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

    @Test
    void errorsRankCorrelationsRankStabilityAndCoverageFromTheirDefinitions() {
        double[] truths = {0.1, 0.2, 0.3, 0.4};
        double[] estimates = {0.12, 0.18, 0.41, 0.35}; // the last two swap places
        double[] lower = {0.05, 0.15, 0.35, 0.30};
        double[] upper = {0.15, 0.25, 0.45, 0.45};
        Metrics metrics = Metrics.of(estimates, truths, lower, upper);
        assertThat(metrics.mae()).isCloseTo((0.02 + 0.02 + 0.11 + 0.05) / 4, within(1e-12));
        assertThat(metrics.rmse()).isCloseTo(Math.sqrt((4e-4 + 4e-4 + 0.0121 + 0.0025) / 4), within(1e-12));
        assertThat(metrics.maxError()).isCloseTo(0.11, within(1e-12));
        // one discordant pair of six: tau = (5 - 1) / 6; rho = 1 - 6 * (1 + 1) / (4 * 15)
        assertThat(metrics.kendall()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(metrics.spearman()).isCloseTo(1 - 12.0 / 60, within(1e-12));
        // 5% of a field of 4 allows no move: the two swapped models fall outside
        assertThat(metrics.rankWithin5()).isCloseTo(0.5, within(1e-12));
        assertThat(metrics.coverage()).isCloseTo(0.75, within(1e-12)); // 0.3 is outside [0.35, 0.45]
    }

    @Test
    void splitsHoldOutFoldsTheNewestModelsOrAnExplicitList() {
        List<Backtest.Fold> folds = Backtest.folds(10, new Backtest.Split.KFold(3, 1L));
        assertThat(folds).hasSize(3);
        assertThat(folds.stream().flatMapToInt(f -> Arrays.stream(f.test())).sorted().toArray())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        for (Backtest.Fold fold : folds) {
            assertThat(fold.train().length + fold.test().length).isEqualTo(10);
            assertThat(Arrays.stream(fold.train()).noneMatch(l -> Arrays.stream(fold.test()).anyMatch(t -> t == l)))
                    .isTrue();
        }
        double[] released = {5, 9, Double.NaN, 7, 1};
        assertThat(Backtest.folds(5, new Backtest.Split.Newest(released, 2)).get(0).test()).containsExactly(1, 3);
        assertThat(Backtest.folds(5, new Backtest.Split.HeldOut(new int[] {4, 0})).get(0).test())
                .containsExactly(4, 0);
    }

    /** Train on the weakest half, estimate the strongest 30%, leave the 20% between out. */
    @Test
    void theExtrapolationSplitEstimatesOnlyModelsStrongerThanEveryTrainingModel() {
        double[] scores = {0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.0};
        Backtest.Fold fold = Backtest.folds(10, new Backtest.Split.Extrapolation(scores, 0.5, 0.3)).get(0);
        assertThat(fold.train()).containsExactly(1, 3, 5, 7, 9);
        assertThat(fold.test()).containsExactly(0, 4, 6);
        double strongestTraining = Arrays.stream(fold.train()).mapToDouble(l -> scores[l]).max().orElseThrow();
        assertThat(Arrays.stream(fold.test()).mapToDouble(l -> scores[l]).min().orElseThrow())
                .isGreaterThan(strongestTraining);
    }
}
