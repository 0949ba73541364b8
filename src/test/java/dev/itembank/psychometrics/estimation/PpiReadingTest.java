package dev.itembank.psychometrics.estimation;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.JointMapCalibrator;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.RandomSelection;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;
import dev.itembank.support.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ppi ({@link Reading#ppi()}: AIPW with PPI++'s power tuning) against AIPW and the weighted mean over many random
 * subsets of WMDP (items calibrated on rows 16-63): as good as AIPW where the calibration describes a model, close
 * to the weighted mean where it does not (where AIPW misses by more than the plain mean), and unbiased up to its
 * sampling error in both.
 */
class PpiReadingTest {

    private static final int DRAWS = 150;

    private static ResponseMatrix all;
    private static int[] scenario;
    private static double[] balance;
    private static ItemBank items;
    private static ResponseMatrix training;

    @BeforeAll
    static void calibrate() {
        Fixtures.Wmdp wmdp = Fixtures.wmdp();
        all = wmdp.responses();
        scenario = wmdp.scenarioOfItem();
        balance = new double[scenario.length];
        Arrays.fill(balance, 1.0);
        training = all.selectModels(IntStream.range(16, 64).toArray());
        items = JointMapCalibrator.compute(training, JointMapCalibrator.Options.defaults(2), CalibrationMonitor.NONE)
                .items();
    }

    /** Per reading (aipw, ppi, weighted): squared error and signed error summed over draws and scenarios. */
    private record Errors(double[] squared, double[] signed, int count) {
    }

    private static Errors errors(double[] row) {
        double[] truth = new double[2];
        int[] size = new int[2];
        for (int j = 0; j < row.length; j++) {
            truth[scenario[j]] += row[j];
            size[scenario[j]]++;
        }
        double[] squared = new double[3];
        double[] signed = new double[3];
        int count = 0;
        for (long seed = 0; seed < DRAWS; seed++) {
            Subset subset = RandomSelection.select(new SelectionInput(training, scenario, new int[scenario.length],
                    items), Budget.itemsPerScenario(50), seed, null);
            double[] answers = Arrays.stream(subset.items()).mapToDouble(j -> row[j]).toArray();
            Reading reading = Reading.of(new Design(items, scenario, balance, subset), answers);
            for (int s = 0; s < 2; s++) {
                double t = truth[s] / size[s];
                double[] values = {reading.aipw()[s], reading.ppi()[s], reading.weighted()[s]};
                for (int r = 0; r < 3; r++) {
                    squared[r] += (values[r] - t) * (values[r] - t);
                    signed[r] += values[r] - t;
                }
                assertThat(reading.power()[s]).isBetween(0.0, 1.0);
                count++;
            }
        }
        return new Errors(squared, signed, count);
    }

    @Test
    void whereTheCalibrationDescribesTheModelPpiIsAsGoodAsAipwAndBetterThanTheMean() {
        double[] row = new double[all.items()];
        double[] squared = new double[3];
        int count = 0;
        for (int l = 0; l < 16; l += 3) { // held-out models
            all.row(l, row);
            Errors e = errors(row);
            for (int r = 0; r < 3; r++) {
                squared[r] += e.squared()[r];
            }
            count += e.count();
        }
        double aipw = Math.sqrt(squared[0] / count);
        double ppi = Math.sqrt(squared[1] / count);
        double weighted = Math.sqrt(squared[2] / count);
        // measured: RMSE 0.0501 against AIPW's 0.0496 and the mean's 0.0691
        assertThat(ppi).as("RMSE of ppi against AIPW's %.4f and the mean's %.4f", aipw, weighted)
                .isLessThanOrEqualTo(1.05 * aipw).isLessThan(0.9 * weighted);
    }

    @Test
    void whereItDoesNotPpiStaysNearTheMeanWhileAipwMissesByMore() {
        // a held-out model's answers shuffled within each scenario: its accuracy kept, their relation to the items'
        // difficulty (what the calibration predicts) gone
        double[] row = new double[all.items()];
        all.row(0, row);
        SplittableRandom random = new SplittableRandom(7);
        for (int s = 0; s < 2; s++) {
            int sc = s;
            int[] in = IntStream.range(0, row.length).filter(j -> scenario[j] == sc).toArray();
            for (int k = in.length - 1; k > 0; k--) {
                int other = random.nextInt(k + 1);
                double swap = row[in[k]];
                row[in[k]] = row[in[other]];
                row[in[other]] = swap;
            }
        }
        Errors e = errors(row);
        double aipw = Math.sqrt(e.squared()[0] / e.count());
        double ppi = Math.sqrt(e.squared()[1] / e.count());
        double weighted = Math.sqrt(e.squared()[2] / e.count());
        // measured: RMSE 0.0569 against AIPW's 0.0658 and the mean's 0.0572
        assertThat(aipw).as("AIPW misses such a model by more than the plain mean").isGreaterThan(1.1 * weighted);
        assertThat(ppi).as("RMSE of ppi against AIPW's %.4f and the mean's %.4f", aipw, weighted)
                .isLessThan(0.9 * aipw).isLessThanOrEqualTo(1.1 * weighted);
        assertThat(Math.abs(e.signed()[1] / e.count())).as("ppi's mean error").isLessThan(0.25 * ppi);
    }
}
