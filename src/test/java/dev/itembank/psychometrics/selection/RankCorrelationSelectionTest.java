package dev.itembank.psychometrics.selection;

import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class RankCorrelationSelectionTest {

    static WmdpFixture wmdp;
    static SelectionInput input;

    @BeforeAll
    static void calibrate() {
        wmdp = WmdpFixture.load();
        input = wmdp.calibratedInput(5);
    }

    @Test
    void picksTheCandidateWithTheHighestPredictedRankCorrelationAndRanksHeldOutModelsBetterThanRandom() {
        Subset subset = RankCorrelationSelection.select(input, Budget.itemsPerScenario(50), 2L, null);
        assertThat(subset.method()).isEqualTo("rank-correlation");
        assertThat(subset.parameters()).containsKeys("winner", "predictedSpearman", "candidates",
                "predictorOutOfSampleMae");
        int candidates = Integer.parseInt(subset.parameters().get("candidates"));
        assertThat(subset.diagnostics().notes()).hasSize(candidates);
        double winnerPrediction = Double.parseDouble(subset.parameters().get("predictedSpearman"));
        // the predictor learnt on the [learn] half and chose among the [choose] half, which it had not seen
        assertThat(subset.diagnostics().notes()).filteredOn(note -> note.contains("[learn]")).hasSize(candidates / 2
                + candidates % 2);
        boolean winnerFound = false;
        for (String note : subset.diagnostics().notes()) {
            double predicted = Double.parseDouble(note.replaceAll(".*predicted (-?[0-9.]+),.*", "$1"));
            if (note.contains("[choose]")) {
                assertThat(predicted).isLessThanOrEqualTo(winnerPrediction + 1e-4);
                winnerFound |= Math.abs(predicted - winnerPrediction) < 1e-4;
            }
        }
        assertThat(winnerFound).as("the winner is one of the candidates the predictor had not seen").isTrue();
        assertThat(Double.parseDouble(subset.parameters().get("predictorOutOfSampleMae"))).isBetween(0.0, 2.0);
        assertThat(subset.budget()).containsExactly(50, 50);
        double winner = heldOutSpearman(subset);
        double random = IntStream.range(0, 10).mapToDouble(seed -> heldOutSpearman(
                RandomSelection.select(input, Budget.itemsPerScenario(50), 100 + seed, null))).average().orElseThrow();
        assertThat(winner).as("held-out Spearman of the winner vs random subsets' mean").isGreaterThan(random);
        assertThat(RankCorrelationSelection.select(input, Budget.itemsPerScenario(50), 2L, null).items())
                .containsExactly(subset.items());
    }

    /** Spearman correlation, over the 16 held-out models, of the subset's scores with the full scores. */
    static double heldOutSpearman(Subset subset) {
        double[] subsetScores = new double[16];
        double[] fullScores = new double[16];
        for (int t = 0; t < 16; t++) {
            int l = wmdp.test()[t];
            for (int k = 0; k < subset.items().length; k++) {
                subsetScores[t] += subset.weights()[k] * wmdp.all().get(l, subset.items()[k]) / 2;
            }
            int model = l;
            fullScores[t] = IntStream.range(0, 2).mapToDouble(s -> IntStream.range(0, 3260)
                    .filter(j -> wmdp.scenarioOfItem()[j] == s).mapToDouble(j -> wmdp.all().get(model, j))
                    .average().orElseThrow() / 2).sum();
        }
        return new org.hipparchus.stat.correlation.SpearmansCorrelation().correlation(subsetScores, fullScores);
    }
}
