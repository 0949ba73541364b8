package dev.itembank.psychometrics.irt;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

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

    /**
     * The ability SDs and the log-likelihood a fit reports, recomputed here cell by cell from its own items and
     * abilities: SD_k = sqrt((I + sum_j P_j (1 - P_j) a_j a_j')^-1)_kk over each model's observed items, and
     * sum y log P + (1 - y) log(1 - P). 600 items and 40 models span several of the Hessian sums' tiles and groups,
     * and a few missing cells are skipped.
     */
    @Test
    void reportedAbilityErrorsAndLogLikelihoodMatchADirectComputation() {
        int models = 40;
        int items = 600;
        int d = 3;
        ResponseMatrix complete = Simulated.multidimensional(models, items, d, 5L).responses();
        ResponseMatrix.Builder builder = ResponseMatrix.binary(models, items);
        for (int l = 0; l < models; l++) {
            for (int j = 0; j < items; j++) {
                if ((l * 7 + j) % 97 != 0) {
                    builder.set(l, j, complete.get(l, j));
                }
            }
        }
        ResponseMatrix responses = builder.build();
        Calibration fit = JointMapCalibrator.compute(responses, JointMapCalibrator.Options.defaults(d),
                CalibrationMonitor.NONE);
        ItemBank bank = fit.items();
        double logLikelihood = 0;
        for (int l = 0; l < models; l++) {
            double[] theta = java.util.Arrays.copyOfRange(fit.abilities(), l * d, (l + 1) * d);
            double[] precision = new double[d * d];
            for (int k = 0; k < d; k++) {
                precision[k * d + k] = 1;
            }
            for (int j = 0; j < items; j++) {
                double y = responses.get(l, j);
                if (Double.isNaN(y)) {
                    continue;
                }
                bank.addInformation(j, theta, precision);
                double p = bank.probability(j, theta);
                logLikelihood += y * Math.log(p) + (1 - y) * Math.log(1 - p);
            }
            double[][] rows = new double[d][];
            for (int r = 0; r < d; r++) {
                rows[r] = java.util.Arrays.copyOfRange(precision, r * d, (r + 1) * d);
            }
            RealMatrix covariance = MatrixUtils.inverse(MatrixUtils.createRealMatrix(rows));
            for (int k = 0; k < d; k++) {
                assertThat(fit.abilityErrors()[l * d + k]).as("SD of model %d, dimension %d", l, k)
                        .isCloseTo(Math.sqrt(covariance.getEntry(k, k)), org.assertj.core.data.Percentage
                                .withPercentage(1e-6));
            }
        }
        assertThat(fit.logLikelihood()).isCloseTo(logLikelihood, org.assertj.core.data.Percentage
                .withPercentage(1e-7));
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
