package dev.itembank.psychometrics.selection;

import java.util.stream.IntStream;

import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.support.Fixtures;

/** The WMDP fixture as tinyBenchmarks split it: rows 16-63 train, rows 0-15 test; scenario 0 cyber, 1 bio. */
record WmdpFixture(ResponseMatrix all, int[] scenarioOfItem, int[] train, int[] test) {

    static WmdpFixture load() {
        Fixtures.Wmdp wmdp = Fixtures.wmdp();
        return new WmdpFixture(wmdp.responses(), wmdp.scenarioOfItem(), IntStream.range(16, 64).toArray(),
                IntStream.range(0, 16).toArray());
    }


    /** The training models' responses with a joint MAP calibration of D dimensions fitted on them. */
    SelectionInput calibratedInput(int dimensions) {
        ResponseMatrix training = all.selectModels(train);
        dev.itembank.psychometrics.irt.Calibration calibration = dev.itembank.psychometrics.irt.JointMapCalibrator
                .compute(training, dev.itembank.psychometrics.irt.JointMapCalibrator.Options.defaults(dimensions),
                        dev.itembank.psychometrics.irt.CalibrationMonitor.NONE);
        return new SelectionInput(training, scenarioOfItem, new int[scenarioOfItem.length], calibration.items());
    }

    /** Mean absolute error over the test models and both scenarios of the subset's weighted mean. */
    double weightedMeanError(Subset subset) {
        double error = 0;
        int count = 0;
        for (int l : test) {
            for (int s = 0; s < 2; s++) {
                double truth = 0;
                int size = 0;
                for (int j = 0; j < scenarioOfItem.length; j++) {
                    if (scenarioOfItem[j] == s) {
                        truth += all.get(l, j);
                        size++;
                    }
                }
                double estimate = 0;
                for (int k = 0; k < subset.items().length; k++) {
                    if (scenarioOfItem[subset.items()[k]] == s) {
                        estimate += subset.weights()[k] * all.get(l, subset.items()[k]);
                    }
                }
                error += Math.abs(estimate - truth / size);
                count++;
            }
        }
        return error / count;
    }
}
