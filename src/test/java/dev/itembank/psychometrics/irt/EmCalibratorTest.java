package dev.itembank.psychometrics.irt;

import org.hipparchus.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmCalibratorTest {

    /**
     * 500 models x 200 items. At 500 models the standard error of a slope is about 0.18, so a slope correlation of
     * 0.95 needs the spread of the simulation's a ~ U(0.5, 2.5); difficulties b ~ U(-1.5, 1.5).
     */
    @Test
    void recoversTwoPlItemParametersAndAbilitiesFromSimulatedResponses() {
        Simulated simulated = Simulated.unidimensional(ItemModel.TWO_PL, 500, 200, 20240701L);
        Calibration fit = EmCalibrator.compute(simulated.responses(), EmCalibrator.Options.defaults(ItemModel.TWO_PL),
                CalibrationMonitor.NONE);
        UnidimensionalItems truth = (UnidimensionalItems) simulated.truth();
        UnidimensionalItems items = (UnidimensionalItems) fit.items();
        double[] trueDifficulty = new double[200];
        double[] difficulty = new double[200];
        for (int j = 0; j < 200; j++) {
            trueDifficulty[j] = truth.difficulty(j);
            difficulty[j] = items.difficulty(j);
        }
        PearsonsCorrelation correlation = new PearsonsCorrelation();
        assertThat(fit.converged()).isTrue();
        assertThat(correlation.correlation(truth.slope(), items.slope())).isGreaterThanOrEqualTo(0.95);
        assertThat(correlation.correlation(trueDifficulty, difficulty)).isGreaterThanOrEqualTo(0.98);
        assertThat(correlation.correlation(simulated.theta(), fit.abilities())).isGreaterThanOrEqualTo(0.95);
        assertThat(fit.aic()).isEqualTo(-2 * fit.logLikelihood() + 2 * 400);
        assertThat(fit.bic()).isEqualTo(-2 * fit.logLikelihood() + 400 * Math.log(500));
    }

    @Test
    void recoversThreePlResponseCurves() {
        assertCurvesRecovered(ItemModel.THREE_PL, 3000, 60, 0.03);
    }

    @Test
    void recoversFourPlResponseCurves() {
        assertCurvesRecovered(ItemModel.FOUR_PL, 4000, 60, 0.03);
    }

    @Test
    void recoversTheSharedSlopeOfOnePlItems() {
        Simulated simulated = Simulated.unidimensional(ItemModel.ONE_PL, 800, 80, 5L);
        Calibration fit = EmCalibrator.compute(simulated.responses(), EmCalibrator.Options.defaults(ItemModel.ONE_PL),
                CalibrationMonitor.NONE);
        UnidimensionalItems truth = (UnidimensionalItems) simulated.truth();
        UnidimensionalItems items = (UnidimensionalItems) fit.items();
        assertThat(items.slope()[0]).isCloseTo(truth.slope()[0], org.assertj.core.api.Assertions.within(0.1));
        assertThat(items.slope()).containsOnly(items.slope()[0]);
        assertThat(fit.freeParameters()).isEqualTo(81);
        assertThat(meanCurveError(truth, items)).isLessThanOrEqualTo(0.03);
    }

    @Test
    void skipsMissingCellsAndStillRecoversTheItems() {
        Simulated simulated = Simulated.unidimensional(ItemModel.TWO_PL, 600, 100, 99L);
        ResponseMatrix full = simulated.responses();
        ResponseMatrix.Builder holed = ResponseMatrix.binary(full.models(), full.items());
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int m = 0; m < full.models(); m++) {
            for (int j = 0; j < full.items(); j++) {
                holed.set(m, j, random.nextDouble() < 0.2 ? Double.NaN : full.get(m, j));
            }
        }
        Calibration fit = EmCalibrator.compute(holed.build(), EmCalibrator.Options.defaults(ItemModel.TWO_PL),
                CalibrationMonitor.NONE);
        assertThat(meanCurveError((UnidimensionalItems) simulated.truth(), (UnidimensionalItems) fit.items()))
                .isLessThanOrEqualTo(0.03);
    }

    @Test
    void sameInputGivesTheSameFitWhateverTheThreadCount() {
        Simulated simulated = Simulated.unidimensional(ItemModel.TWO_PL, 200, 50, 3L);
        EmCalibrator.Options options = EmCalibrator.Options.defaults(ItemModel.TWO_PL);
        Calibration one = EmCalibrator.compute(simulated.responses(), options.withThreads(1), CalibrationMonitor.NONE);
        Calibration two = EmCalibrator.compute(simulated.responses(), options.withThreads(2), CalibrationMonitor.NONE);
        UnidimensionalItems a = (UnidimensionalItems) one.items();
        UnidimensionalItems b = (UnidimensionalItems) two.items();
        for (int j = 0; j < 50; j++) {
            assertThat(b.slope()[j]).isCloseTo(a.slope()[j], org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    /**
     * SQUAREM changes the path, not the optimum: on 2PL (with missing cells), 1PL and 3PL fixtures the accelerated
     * fit reaches plain EM's log-likelihood within 1e-6 relative and its response curves within 0.01, in fewer
     * EM steps for the 2PL. Both are run to a tight tolerance, so that the comparison is of optima rather than of
     * where each stopped.
     */
    @Test
    void acceleratedEmReachesTheLogLikelihoodOfPlainEm() {
        Simulated twoPl = Simulated.unidimensional(ItemModel.TWO_PL, 400, 120, 11L);
        ResponseMatrix full = twoPl.responses();
        ResponseMatrix.Builder holed = ResponseMatrix.binary(full.models(), full.items());
        java.util.SplittableRandom random = new java.util.SplittableRandom(2);
        for (int m = 0; m < full.models(); m++) {
            for (int j = 0; j < full.items(); j++) {
                holed.set(m, j, random.nextDouble() < 0.1 ? Double.NaN : full.get(m, j));
            }
        }
        assertSameOptimum(holed.build(), ItemModel.TWO_PL, true);
        assertSameOptimum(Simulated.unidimensional(ItemModel.ONE_PL, 300, 60, 12L).responses(), ItemModel.ONE_PL,
                false);
        assertSameOptimum(Simulated.unidimensional(ItemModel.THREE_PL, 600, 40, 13L).responses(),
                ItemModel.THREE_PL, false);
    }

    private static void assertSameOptimum(ResponseMatrix matrix, ItemModel model, boolean fewerSteps) {
        EmCalibrator.Options options = EmCalibrator.Options.defaults(model).withTolerance(1e-6).withMaxIterations(5000);
        Calibration plain = EmCalibrator.compute(matrix, options.withAcceleration(false), CalibrationMonitor.NONE);
        Calibration fast = EmCalibrator.compute(matrix, options, CalibrationMonitor.NONE);
        assertThat(plain.converged()).isTrue();
        assertThat(fast.converged()).isTrue();
        assertThat(Math.abs(fast.logLikelihood() - plain.logLikelihood()) / Math.abs(plain.logLikelihood()))
                .as("%s relative log-likelihood difference", model).isLessThanOrEqualTo(1e-6);
        assertThat(meanCurveError((UnidimensionalItems) plain.items(), (UnidimensionalItems) fast.items()))
                .as("%s curves", model).isLessThanOrEqualTo(0.01);
        if (fewerSteps) {
            assertThat(fast.iterations()).as("%s EM steps", model).isLessThan(plain.iterations());
        }
    }

    @Test
    void reportsProgressAndStopsWhenCancelled() {
        Simulated simulated = Simulated.unidimensional(ItemModel.TWO_PL, 200, 50, 4L);
        java.util.List<String> messages = new java.util.ArrayList<>();
        CalibrationMonitor monitor = new CalibrationMonitor() {
            @Override
            public void progress(double fraction, String message) {
                messages.add(message);
            }

            @Override
            public boolean cancelled() {
                return messages.size() >= 3;
            }
        };
        assertThatThrownBy(() -> EmCalibrator.compute(simulated.responses(),
                EmCalibrator.Options.defaults(ItemModel.TWO_PL), monitor))
                .isInstanceOf(CalibrationCancelledException.class);
        assertThat(messages).hasSize(3).allMatch(message -> message.startsWith("EM iteration"));
    }

    private static void assertCurvesRecovered(ItemModel model, int models, int items, double tolerance) {
        Simulated simulated = Simulated.unidimensional(model, models, items, 77L);
        Calibration fit = EmCalibrator.compute(simulated.responses(), EmCalibrator.Options.defaults(model),
                CalibrationMonitor.NONE);
        assertThat(meanCurveError((UnidimensionalItems) simulated.truth(), (UnidimensionalItems) fit.items()))
                .isLessThanOrEqualTo(tolerance);
    }

    /** Mean |P_fit - P_true| over items and 61 abilities in [-3, 3]. */
    static double meanCurveError(UnidimensionalItems truth, UnidimensionalItems fit) {
        double total = 0;
        int count = 0;
        for (int j = 0; j < truth.items(); j++) {
            for (int t = 0; t <= 60; t++) {
                double theta = -3 + 0.1 * t;
                total += Math.abs(fit.probability(j, theta) - truth.probability(j, theta));
                count++;
            }
        }
        return total / count;
    }
}
