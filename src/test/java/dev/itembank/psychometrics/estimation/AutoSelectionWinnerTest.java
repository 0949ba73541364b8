package dev.itembank.psychometrics.estimation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** auto's rule between candidates: the guard beyond the training models, then the least error, ties to random. */
class AutoSelectionWinnerTest {

    private static Map<String, Double> map(Object... pairs) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int k = 0; k < pairs.length; k += 2) {
            map.put((String) pairs[k], (Double) pairs[k + 1]);
        }
        return map;
    }

    @Test
    void aSearchedCandidateWithinTheTieMarginOfTheRandomSubsetLosesToIt() {
        // genetic 6% below random: a tie (the margin is 10%), which random wins
        assertThat(AutoSelection.winner(map("random", 0.0150, "genetic", 0.0141),
                map("random", 0.030, "genetic", 0.040))).isEqualTo("random");
        // the same without a backtest beyond the training models
        assertThat(AutoSelection.winner(map("random", 0.0150, "genetic", 0.0141), Map.of())).isEqualTo("random");
    }

    @Test
    void aCandidateClearlyBelowTheRandomSubsetWinsUnlessItFailsBeyondTheTrainingModels() {
        // 20% below random, within 1.5x its error beyond the training models: it wins
        assertThat(AutoSelection.winner(map("random", 0.0150, "stratified", 0.0149, "genetic", 0.0120),
                map("random", 0.030, "stratified", 0.031, "genetic", 0.044))).isEqualTo("genetic");
        // beyond 1.5x random's there it is out, and the next (a tie with random) loses to random
        assertThat(AutoSelection.winner(map("random", 0.0150, "stratified", 0.0149, "genetic", 0.0120),
                map("random", 0.030, "stratified", 0.031, "genetic", 0.046))).isEqualTo("random");
    }

    @Test
    void withoutARandomCandidateTheLeastErrorWins() {
        assertThat(AutoSelection.winner(map("stratified", 0.0150, "genetic", 0.0141), Map.of()))
                .isEqualTo("genetic");
    }
}
