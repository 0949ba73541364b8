package dev.itembank.psychometrics.irt;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JointMapCalibratorTest {

    /**
     * 1,000 models x 300 items, D = 3. Two probability errors are measured. The item response surfaces, evaluated
     * at each model's true ability mapped into the fitted space (abilities are identified only up to an affine
     * rotation), must be within RMSE 0.03 of the truth. The cell probabilities, evaluated at the fitted abilities,
     * carry the error of estimating an ability from 300 answers, which no method avoids: they must be within 25%
     * of that floor, the RMSE reached with the true items and MAP abilities.
     */
    @Test
    void recoversThreeDimensionalProbabilitiesAndTheAbilitySubspaceUpToRotation() {
        int models = 1000;
        int items = 300;
        Simulated simulated = Simulated.multidimensional(models, items, 3, 11L);
        Calibration fit = JointMapCalibrator.compute(simulated.responses(), JointMapCalibrator.Options.defaults(3),
                CalibrationMonitor.NONE);
        assertThat(fit.converged()).isTrue();
        ItemBank truth = simulated.truth();
        double[] aligned = align(simulated.theta(), fit.abilities(), models, 3);
        int[] all = java.util.stream.IntStream.range(0, items).toArray();
        double[] row = new double[items];
        double surface = 0;
        double cells = 0;
        double floor = 0;
        for (int l = 0; l < models; l++) {
            double[] trueTheta = java.util.Arrays.copyOfRange(simulated.theta(), l * 3, l * 3 + 3);
            double[] alignedTheta = java.util.Arrays.copyOfRange(aligned, l * 3, l * 3 + 3);
            double[] fitTheta = java.util.Arrays.copyOfRange(fit.abilities(), l * 3, l * 3 + 3);
            simulated.responses().row(l, row);
            double[] mapTheta = AbilityEstimator.estimate(truth, all, row, AbilityMethod.MAP).theta();
            for (int j = 0; j < items; j++) {
                double p = truth.probability(j, trueTheta);
                surface += square(fit.items().probability(j, alignedTheta) - p);
                cells += square(fit.items().probability(j, fitTheta) - p);
                floor += square(truth.probability(j, mapTheta) - p);
            }
        }
        int n = models * items;
        assertThat(Math.sqrt(surface / n)).isLessThanOrEqualTo(0.03);
        assertThat(Math.sqrt(cells / n)).isLessThanOrEqualTo(1.25 * Math.sqrt(floor / n));
        double[] canonical = canonicalCorrelations(simulated.theta(), fit.abilities(), models, 3);
        for (double rho : canonical) {
            assertThat(rho).isGreaterThanOrEqualTo(0.9);
        }
    }

    private static double square(double x) {
        return x * x;
    }

    @Test
    void sameSeedGivesTheSameFit() {
        Simulated simulated = Simulated.multidimensional(150, 40, 2, 3L);
        JointMapCalibrator.Options options = JointMapCalibrator.Options.defaults(2).withSeed(9);
        Calibration first = JointMapCalibrator.compute(simulated.responses(), options, CalibrationMonitor.NONE);
        Calibration second = JointMapCalibrator.compute(simulated.responses(), options, CalibrationMonitor.NONE);
        assertThat(second.abilities()).containsExactly(first.abilities());
        assertThat(((MultidimensionalItems) second.items()).slopes())
                .containsExactly(((MultidimensionalItems) first.items()).slopes());
    }

    /**
     * The true abilities mapped into the fitted latent space by the least-squares affine map fitted ~ B [true; 1]:
     * where each model would sit in the fitted space were its ability known exactly.
     */
    static double[] align(double[] truth, double[] fitted, int rows, int dims) {
        double[][] design = new double[rows][dims + 1];
        double[][] target = new double[rows][dims];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < dims; k++) {
                design[r][k] = truth[r * dims + k];
                target[r][k] = fitted[r * dims + k];
            }
            design[r][dims] = 1;
        }
        RealMatrix x = MatrixUtils.createRealMatrix(design);
        RealMatrix map = new QRDecomposition(x).getSolver().solve(MatrixUtils.createRealMatrix(target));
        RealMatrix mapped = x.multiply(map);
        double[] aligned = new double[rows * dims];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < dims; k++) {
                aligned[r * dims + k] = mapped.getEntry(r, k);
            }
        }
        return aligned;
    }

    /** Cosines of the principal angles between the column spaces of two centred models x D matrices. */
    static double[] canonicalCorrelations(double[] a, double[] b, int rows, int dims) {
        RealMatrix qa = orthonormalBasis(a, rows, dims);
        RealMatrix qb = orthonormalBasis(b, rows, dims);
        return new SingularValueDecomposition(qa.transpose().multiply(qb)).getSingularValues();
    }

    private static RealMatrix orthonormalBasis(double[] values, int rows, int dims) {
        double[][] centred = new double[rows][dims];
        for (int k = 0; k < dims; k++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += values[r * dims + k] / rows;
            }
            for (int r = 0; r < rows; r++) {
                centred[r][k] = values[r * dims + k] - mean;
            }
        }
        RealMatrix q = new QRDecomposition(MatrixUtils.createRealMatrix(centred)).getQ();
        return q.getSubMatrix(0, rows - 1, 0, dims - 1);
    }
}
