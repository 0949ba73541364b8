package dev.itembank.psychometrics.estimation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.TinyBenchmarksReference;
import dev.itembank.psychometrics.selection.Subset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parity with the tinyBenchmarks package through the classes the service runs: an {@link EstimationModel} restored
 * (as {@code SubsetEstimators} restores a stored subset's) with the package's WMDP parameters, anchors, weights and
 * lambdas reproduces its expected.csv - plain, weighted, p-IRT and gp-IRT - within 1e-3 for all 64 models.
 */
class TinyBenchmarksParityTest {

    @Test
    void theServicesEstimationModelReproducesThePackageForEveryModel() {
        TinyBenchmarksReference reference = TinyBenchmarksReference.load();
        int[] anchors = reference.allAnchors();
        List<Double> weights = new ArrayList<>();
        reference.anchorWeights().values().forEach(weights::addAll);
        List<String> scenarioNames = new ArrayList<>(reference.anchors().keySet());
        int[] scenarioOfItem = reference.scenarios().stream().mapToInt(scenarioNames::indexOf).toArray();
        double[] lambdas = scenarioNames.stream().mapToDouble(s -> reference.lambdas().get(s)).toArray();
        double[] balance = new double[scenarioOfItem.length];
        Arrays.fill(balance, 1.0); // WMDP has no sub-scenarios
        Subset subset = new Subset("anchor-irt", Map.of(), 0L, anchors,
                weights.stream().mapToDouble(Double::doubleValue).toArray(), new int[scenarioNames.size()],
                Subset.Diagnostics.none());
        Map<String, EstimatorState> states = new LinkedHashMap<>();
        Map<String, double[][]> residuals = new LinkedHashMap<>();
        Map<String, double[]> errors = new LinkedHashMap<>();
        for (String code : List.of("subset-mean", "weighted", "pirt", "gpirt")) {
            states.put(code, code.equals("gpirt") ? EstimatorState.of("lambda", lambdas) : EstimatorState.of());
            residuals.put(code, new double[scenarioNames.size()][10]);
            errors.put(code, new double[scenarioNames.size()]);
        }
        EstimationModel model = EstimationModel.restore(new EstimationModel.State(states, residuals,
                List.of("gpirt", "gpirt"), errors, null, null, null, null, null, null), reference.items(), scenarioOfItem, balance,
                subset);
        double worst = 0;
        int compared = 0;
        for (String[] row : reference.expected()) {
            int modelRow = Integer.parseInt(row[0]);
            int scenario = scenarioNames.indexOf(row[2]);
            double[] answers = new double[anchors.length];
            for (int k = 0; k < anchors.length; k++) {
                answers[k] = reference.responses()[modelRow][anchors[k]];
            }
            Map<String, Double> values = model.estimate(answers, 0.9).scenarios().get(scenario).estimators();
            worst = Math.max(worst, Math.abs(values.get("subset-mean") - Double.parseDouble(row[3])));
            worst = Math.max(worst, Math.abs(values.get("weighted") - Double.parseDouble(row[4])));
            worst = Math.max(worst, Math.abs(values.get("pirt") - Double.parseDouble(row[5])));
            worst = Math.max(worst, Math.abs(values.get("gpirt") - Double.parseDouble(row[6])));
            compared++;
        }
        assertThat(compared).isEqualTo(128);
        assertThat(worst).as("largest difference from expected.csv").isLessThanOrEqualTo(1e-3);
    }

    /**
     * gp-IRT's lambda by the package's rule, lambda = b^2 / (b^2 + v / (c n)), computed with c = 4 for anchors and
     * 1 for random subsets - and c follows the method auto chose, not "auto".
     */
    @Test
    void lambdaFollowsThePackagesRuleAndTheMethodThatMadeTheSubset() {
        assertThat(GpirtLambda.lambda(0.02, 0.2, 4, 100)).isCloseTo(0.0004 / (0.0004 + 0.2 / 400),
                org.assertj.core.data.Offset.offset(1e-15));
        Subset autoRandom = new Subset("auto", Map.of("chosen", "random"), 0L, new int[] {0}, new double[] {1},
                new int[] {1}, Subset.Diagnostics.none());
        Subset autoAnchors = new Subset("auto", Map.of("chosen", "anchor-irt"), 0L, new int[] {0}, new double[] {1},
                new int[] {1}, Subset.Diagnostics.none());
        assertThat(EstimationModel.Options.forSubset(autoRandom).anchorFactor()).isEqualTo(GpirtLambda.RANDOM);
        assertThat(EstimationModel.Options.forSubset(autoAnchors).anchorFactor()).isEqualTo(GpirtLambda.ANCHORS);
    }
}
