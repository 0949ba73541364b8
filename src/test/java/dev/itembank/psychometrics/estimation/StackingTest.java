package dev.itembank.psychometrics.estimation;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StackingTest {

    @Test
    void recoversTheMixtureThatMakesTheTruthAndStaysOnTheSimplex() {
        SplittableRandom random = new SplittableRandom(1);
        int models = 60;
        double[][] predictions = new double[3][models];
        double[] truth = new double[models];
        for (int l = 0; l < models; l++) {
            predictions[0][l] = random.nextDouble();
            predictions[1][l] = random.nextDouble();
            predictions[2][l] = random.nextDouble();
            truth[l] = 0.3 * predictions[0][l] + 0.7 * predictions[1][l];
        }
        boolean[] all = new boolean[models];
        Arrays.fill(all, true);
        double[] w = Stacking.weights(predictions, truth, all);
        assertThat(w[0]).isCloseTo(0.3, within(1e-3));
        assertThat(w[1]).isCloseTo(0.7, within(1e-3));
        assertThat(w[2]).isCloseTo(0.0, within(1e-3));
        assertThat(Arrays.stream(w).sum()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theSimplexProjectionIsTheNearestPointOfTheSimplex() {
        assertThat(Stacking.simplex(new double[] {0.2, 0.3, 0.5})).containsExactly(0.2, 0.3, 0.5);
        double[] projected = Stacking.simplex(new double[] {2, 0, -1});
        assertThat(projected).containsExactly(1.0, 0.0, 0.0);
        double[] even = Stacking.simplex(new double[] {1, 1});
        assertThat(even[0]).isCloseTo(0.5, within(1e-12));
        assertThat(even[1]).isCloseTo(0.5, within(1e-12));
    }
}
