package dev.itembank.psychometrics.estimation;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The additive P-spline model recovers smooth additive functions from noisy data, and restores exactly. */
class PenalizedSplinesTest {

    @Test
    void recoversASmoothAdditiveFunctionFromNoisyData() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 200;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {random.nextDouble(-2, 2), random.nextDouble(0, 1)};
            y[i] = truth(x[i]) + 0.05 * random.nextGaussian();
        }
        PenalizedSplines model = PenalizedSplines.fit(x, y);
        double error = 0;
        double spread = 0;
        for (int i = 0; i < 100; i++) {
            double[] point = {-1.8 + 3.6 * i / 99, 0.05 + 0.9 * ((i * 37) % 100) / 99.0};
            error += Math.abs(model.predict(point) - truth(point)) / 100;
            spread += Math.abs(truth(point)) / 100;
        }
        assertThat(error).as("mean absolute error against the noiseless truth (noise sd 0.05)").isLessThan(0.03);
        assertThat(spread).isGreaterThan(0.3);
        PenalizedSplines restored = new PenalizedSplines(model.low(), model.high(), model.centre(), model.beta());
        assertThat(restored.predict(new double[] {0.3, 0.4})).isEqualTo(model.predict(new double[] {0.3, 0.4}));
    }

    @Test
    void aLinearTargetStaysLinearAndFeaturesOutsideTheRangeAreHeldAtTheEdge() {
        double[][] x = new double[50][];
        double[] y = new double[50];
        for (int i = 0; i < 50; i++) {
            x[i] = new double[] {i / 49.0};
            y[i] = 0.2 + 0.5 * x[i][0];
        }
        PenalizedSplines model = PenalizedSplines.fit(x, y);
        assertThat(model.predict(new double[] {0.5})).isCloseTo(0.45, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(model.predict(new double[] {3.0})).isCloseTo(model.predict(new double[] {1.0}),
                org.assertj.core.data.Offset.offset(1e-12));
    }

    private static double truth(double[] x) {
        return Math.sin(1.5 * x[0]) + (x[1] - 0.5) * (x[1] - 0.5) * 2;
    }
}
