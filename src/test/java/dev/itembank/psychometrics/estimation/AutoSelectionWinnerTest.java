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
        // scores 0.7 x 0.0090 + 0.3 x 0.034 = 0.0165 against random's 0.7 x 0.0150 + 0.3 x 0.030 = 0.0195 (15%
        // below), within 1.5x random's error beyond the training models: it wins
        assertThat(AutoSelection.winner(map("random", 0.0150, "stratified", 0.0149, "genetic", 0.0090),
                map("random", 0.030, "stratified", 0.031, "genetic", 0.034))).isEqualTo("genetic");
        // beyond 1.5x random's there it is out, and the next (a tie with random) loses to random
        assertThat(AutoSelection.winner(map("random", 0.0150, "stratified", 0.0149, "genetic", 0.0090),
                map("random", 0.030, "stratified", 0.031, "genetic", 0.046))).isEqualTo("random");
    }

    /**
     * A run of openllm-ifeval's extrapolation split at 50 items: {@code information} led random by 13% among the
     * training models and was within the guard beyond them (1.47x), and it read the strong models worse than a random
     * sample. Scored as a new model meets it, it loses: 0.7 x 0.0208 + 0.3 x 0.0631 = 0.0335 against random's 0.0296.
     */
    @Test
    void aLeadAmongTheTrainingModelsDoesNotBuyAMuchLargerErrorBeyondThem() {
        Map<String, Double> errors = map("random", 0.0238, "information", 0.0208);
        Map<String, Double> beyond = map("random", 0.0430, "information", 0.0631);
        assertThat(AutoSelection.score(errors, beyond, "information"))
                .isCloseTo(0.7 * 0.0208 + 0.3 * 0.0631, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(AutoSelection.winner(errors, beyond)).isEqualTo("random");
        // the cross-validated error alone (no backtest beyond the training models) would have chosen it
        assertThat(AutoSelection.winner(errors, Map.of())).isEqualTo("information");
    }

    @Test
    void withoutARandomCandidateTheLeastErrorWins() {
        assertThat(AutoSelection.winner(map("stratified", 0.0150, "genetic", 0.0141), Map.of()))
                .isEqualTo("genetic");
    }
}
