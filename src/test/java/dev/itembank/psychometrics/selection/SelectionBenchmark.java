package dev.itembank.psychometrics.selection;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.MultidimensionalItems;
import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.support.BenchmarkReport;

import static org.assertj.core.api.Assertions.assertThat;

/** Selection speed at the sizes the issue names. Run with {@code ./mvnw -Pbenchmark verify}. */
@Tag("benchmark")
class SelectionBenchmark {

    @Test
    void selectionSpeed() {
        BenchmarkReport report = new BenchmarkReport("selection", "Subset selection");
        SplittableRandom random = new SplittableRandom(1);
        int items = 28_659;
        int dims = 10;
        double[] slopes = new double[items * dims];
        double[] intercepts = new double[items];
        for (int k = 0; k < slopes.length; k++) {
            slopes[k] = 0.5 + 0.5 * Simulation.gaussian(random);
        }
        for (int j = 0; j < items; j++) {
            intercepts[j] = Simulation.gaussian(random);
        }
        // the Open LLM Leaderboard's six scenarios: MMLU, HellaSwag, ARC, TruthfulQA, WinoGrande, GSM8K
        int[] sizes = {14_042, 10_042, 1_172, 817, 1_267, 1_319};
        int[] scenario = new int[items];
        for (int s = 0, at = 0; s < sizes.length; s++) {
            for (int k = 0; k < sizes[s]; k++) {
                scenario[at++] = s;
            }
        }
        SelectionInput open = new SelectionInput(ResponseMatrix.binary(2, items).build(), scenario, new int[items],
                new MultidimensionalItems(slopes, intercepts, dims));
        AnchorSelection.select(open, Budget.itemsPerScenario(100), 0L, AnchorSelection.Features.IRT, null);
        long start = System.nanoTime();
        Subset anchors = AnchorSelection.select(open, Budget.itemsPerScenario(100), 1L, AnchorSelection.Features.IRT,
                null);
        double anchorSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(anchors.items()).hasSize(600);
        report.row("anchor-irt, 28,659 items (6 scenarios), D = 10, 100 per scenario",
                String.format("%.2f s", anchorSeconds), "<= 2 s", BenchmarkReport.within(anchorSeconds, 2));

        ResponseMatrix.Builder builder = ResponseMatrix.binary(200, 10_000);
        double[] difficulty = new double[10_000];
        for (int j = 0; j < difficulty.length; j++) {
            difficulty[j] = Simulation.gaussian(random);
        }
        for (int l = 0; l < 200; l++) {
            double theta = Simulation.gaussian(random);
            for (int j = 0; j < 10_000; j++) {
                builder.set(l, j, random.nextDouble() < 1 / (1 + Math.exp(-(theta - difficulty[j]))) ? 1 : 0);
            }
        }
        SelectionInput matrix = new SelectionInput(builder.build(), new int[10_000], new int[10_000], null);
        start = System.nanoTime();
        Subset genetic = GeneticSelection.select(matrix, Budget.itemsPerScenario(100), 0L, null, null,
                GeneticSelection.Options.defaults());
        double geneticSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(genetic.items()).hasSize(100);
        report.row("genetic, 10,000 items x 200 models, 100 items, defaults (population 100, 150 generations x 2 "
                + "stages)", String.format("%.1f s", geneticSeconds), "<= 120 s",
                BenchmarkReport.within(geneticSeconds, 120));

        // every method on the same 10,000 x 200 matrix with a 2PL calibration, 100 items
        dev.itembank.psychometrics.irt.ItemBank twoPl = dev.itembank.psychometrics.irt.EmCalibrator.compute(
                matrix.responses(), dev.itembank.psychometrics.irt.EmCalibrator.Options.defaults(
                        dev.itembank.psychometrics.irt.ItemModel.TWO_PL),
                dev.itembank.psychometrics.irt.CalibrationMonitor.NONE).items();
        SelectionInput calibrated = new SelectionInput(matrix.responses(), new int[10_000], new int[10_000], twoPl);
        for (Selection.Method method : Selection.Method.values()) {
            start = System.nanoTime();
            // auto backtests every other method, each fold and its weaker half calibrated by the same 2PL EM
            Subset subset = method == Selection.Method.AUTO
                    ? dev.itembank.psychometrics.estimation.AutoSelection.choose(calibrated, ones(10_000), null,
                            models -> dev.itembank.psychometrics.irt.EmCalibrator.compute(models,
                                    dev.itembank.psychometrics.irt.EmCalibrator.Options.defaults(
                                            dev.itembank.psychometrics.irt.ItemModel.TWO_PL),
                                    dev.itembank.psychometrics.irt.CalibrationMonitor.NONE).items(),
                            Budget.itemsPerScenario(100), 0L, null,
                            dev.itembank.psychometrics.irt.CalibrationMonitor.NONE).subset()
                    : Selection.select(calibrated, method, Budget.itemsPerScenario(100), 0L, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(subset.items().length).isBetween(1, 100);
            report.row(method.code() + ", 10,000 items x 200 models (2PL calibration), 100 items",
                    String.format("%.1f s", seconds), "", "");
        }
        // the estimators a subset job fits (5-fold, here without a calibration) on a benchmark of many scenarios,
        // where ridge-joint regresses each scenario on every subset item: one decomposition serves them all
        int scenarios = 57;
        int wide = scenarios * 60;
        int[] scenarioOf = IntStream.range(0, wide).map(j -> j % scenarios).toArray();
        ResponseMatrix.Builder many = ResponseMatrix.binary(400, wide);
        for (int l = 0; l < 400; l++) {
            double theta = Simulation.gaussian(random);
            for (int j = 0; j < wide; j++) {
                many.set(l, j, random.nextDouble() < 1 / (1 + Math.exp(-(theta - (j % 7 - 3) / 2.0))) ? 1 : 0);
            }
        }
        ResponseMatrix manyResponses = many.build();
        Subset twenty = RandomSelection.select(new SelectionInput(manyResponses, scenarioOf, new int[wide], null),
                Budget.itemsPerScenario(20), 0L, null);
        start = System.nanoTime();
        dev.itembank.psychometrics.estimation.EstimationModel.fit(manyResponses, scenarioOf, ones(wide), null, twenty,
                null, dev.itembank.psychometrics.estimation.EstimationModel.Options.forSubset(twenty));
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        report.row("estimators of a random subset, 57 scenarios x 20 items of 3,420, 400 models, 5 folds",
                String.format("%.1f s", fitSeconds), "<= 20 s", BenchmarkReport.within(fitSeconds, 20));
        report.write();
    }

    private static double[] ones(int n) {
        double[] values = new double[n];
        java.util.Arrays.fill(values, 1.0);
        return values;
    }
}
