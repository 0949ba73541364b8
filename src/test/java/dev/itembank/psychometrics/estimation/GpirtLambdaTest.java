package dev.itembank.psychometrics.estimation;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GpirtLambdaTest {

    @Test
    void lambdaIsTheInverseMseWeightOfTheSubsetAverage() {
        // b = 0.03, v = 0.2, c = 4, n = 100: b^2 = 9e-4, v / (c n) = 5e-4
        assertThat(GpirtLambda.lambda(0.03, 0.2, GpirtLambda.ANCHORS, 100)).isCloseTo(9e-4 / 14e-4, within(1e-12));
        // random subsets have four times the sampling variance, so they lean less on their own average
        assertThat(GpirtLambda.lambda(0.03, 0.2, GpirtLambda.RANDOM, 100))
                .isLessThan(GpirtLambda.lambda(0.03, 0.2, GpirtLambda.ANCHORS, 100));
        assertThat(GpirtLambda.lambda(0, 0.2, GpirtLambda.ANCHORS, 100)).isZero();
    }

    @Test
    void itemVarianceIsTheMeanOverModelsOfTheirPopulationVariance() {
        ResponseMatrix matrix = ResponseMatrix.binary(2, 4)
                .set(0, 0, 1).set(0, 1, 1).set(0, 2, 0).set(0, 3, 0)   // scenario 0: {1, 1}, scenario 1: {0, 0}
                .set(1, 0, 1).set(1, 1, 0).set(1, 2, 1).set(1, 3, Double.NaN) // scenario 0: {1, 0}, scenario 1: {1}
                .build();
        double[] variance = GpirtLambda.itemVariance(matrix, new int[] {0, 0, 1, 1}, 2);
        assertThat(variance[0]).isCloseTo((0.0 + 0.25) / 2, within(1e-12));
        assertThat(variance[1]).isCloseTo(0.0, within(1e-12));
    }
}
