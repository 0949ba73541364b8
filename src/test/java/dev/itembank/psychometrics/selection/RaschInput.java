package dev.itembank.psychometrics.selection;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.JointMapCalibrator;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * A simulated multi-scenario benchmark for the selection properties: Rasch responses of {@code models} models with
 * abilities uniform in [-2, 2] to {@code scenarios x perScenario} items (item j in scenario j mod scenarios,
 * difficulties uniform in [-2, 2]), calibrated by a 2-dimensional joint MAP.
 */
final class RaschInput {

    private RaschInput() {
    }

    /**
     * @param constantItems whether a quarter of the items are answered right by every model and a quarter by none
     *        (the ties that once made two anchor clusters share an item)
     */
    static SelectionInput of(SplittableRandom random, int models, int scenarios, int perScenario,
            boolean constantItems) {
        int[] scenarioOfItem = IntStream.range(0, scenarios * perScenario).map(j -> j % scenarios).toArray();
        int items = scenarioOfItem.length;
        ResponseMatrix.Builder builder = ResponseMatrix.binary(models, items);
        double[] ability = random.doubles(models, -2, 2).toArray();
        for (int j = 0; j < items; j++) {
            int kind = constantItems ? random.nextInt(4) : 2;
            double difficulty = random.nextDouble(-2, 2);
            for (int l = 0; l < models; l++) {
                double p = 1 / (1 + Math.exp(-(ability[l] - difficulty)));
                builder.set(l, j, kind == 0 ? 1 : kind == 1 ? 0 : random.nextDouble() < p ? 1 : 0);
            }
        }
        ResponseMatrix responses = builder.build();
        return new SelectionInput(responses, scenarioOfItem, new int[items], JointMapCalibrator.compute(responses,
                JointMapCalibrator.Options.defaults(2), CalibrationMonitor.NONE).items());
    }
}
