package dev.itembank.psychometrics.estimation;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.TinyBenchmarksReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parity with the tinyBenchmarks package: given its WMDP parameters, anchors and lambdas, the weighted, p-IRT and
 * gp-IRT estimates reproduce its expected.csv within 1e-3 for all 64 models.
 */
class TinyBenchmarksParityTest {

    @Test
    void weightedPirtAndGpirtReproduceThePackageForEveryModel() {
        TinyBenchmarksReference reference = TinyBenchmarksReference.load();
        int[] anchors = reference.allAnchors();
        List<Double> weights = new ArrayList<>();
        reference.anchorWeights().values().forEach(weights::addAll);
        double[] anchorWeights = weights.stream().mapToDouble(Double::doubleValue).toArray();
        List<String> scenarioNames = new ArrayList<>(reference.anchors().keySet());
        int[] scenarioOfItem = reference.scenarios().stream().mapToInt(scenarioNames::indexOf).toArray();
        double[] lambdas = scenarioNames.stream().mapToDouble(s -> reference.lambdas().get(s)).toArray();
        double[] balance = TinyBenchmarksEstimators.unitWeights(scenarioOfItem.length);
        double worst = 0;
        int compared = 0;
        for (String[] row : reference.expected()) {
            int model = Integer.parseInt(row[0]);
            int scenario = scenarioNames.indexOf(row[2]);
            double[] answers = new double[anchors.length];
            for (int k = 0; k < anchors.length; k++) {
                answers[k] = reference.responses()[model][anchors[k]];
            }
            TinyBenchmarksEstimators.Estimates estimates = TinyBenchmarksEstimators.estimate(reference.items(),
                    scenarioOfItem, balance, anchors, anchorWeights, answers, lambdas)[scenario];
            worst = Math.max(worst, Math.abs(estimates.subsetMean() - Double.parseDouble(row[3])));
            worst = Math.max(worst, Math.abs(estimates.weighted() - Double.parseDouble(row[4])));
            worst = Math.max(worst, Math.abs(estimates.pirt() - Double.parseDouble(row[5])));
            worst = Math.max(worst, Math.abs(estimates.gpirt() - Double.parseDouble(row[6])));
            compared++;
        }
        assertThat(compared).isEqualTo(128);
        assertThat(worst).as("largest difference from expected.csv").isLessThanOrEqualTo(1e-3);
    }
}
