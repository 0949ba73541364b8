package dev.itembank.psychometrics.selection;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.UnidimensionalItems;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;

/**
 * One scenario of 2PL items (discrimination 1.5, difficulties N(0, 1.5^2)) in two sub-scenarios of unequal size, 40
 * training models of abilities N(-0.5, 0.5^2), and the answers of one model stronger than all of them.
 *
 * @param input the training models, one scenario, the two sub-scenarios, no calibration
 * @param strong the strong model's answers to every item
 * @param truth its scenario score (the balance-weighted mean of its answers)
 * @param items the true 2PL items (slope 1.5, intercept -1.5 b)
 */
public record WeakTrainingSimulation(SelectionInput input, double[] strong, double truth, ItemBank items) {

    /**
     * @param items the scenario's items
     * @param firstGroup how many of them (the first) form the smaller sub-scenario
     * @param strongAbility the strong model's ability
     */
    public static WeakTrainingSimulation of(long seed, int items, int firstGroup, double strongAbility) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] scenario = new int[items];
        int[] subscenario = IntStream.range(0, items).map(j -> j < firstGroup ? 0 : 1).toArray();
        double[] difficulty = IntStream.range(0, items).mapToDouble(j -> 1.5 * gaussian(random)).toArray();
        ResponseMatrix.Builder builder = ResponseMatrix.binary(40, items);
        for (int l = 0; l < 40; l++) {
            double theta = -0.5 + 0.5 * gaussian(random);
            for (int j = 0; j < items; j++) {
                builder.set(l, j, random.nextDouble() < p(theta, difficulty[j]) ? 1 : 0);
            }
        }
        SelectionInput input = new SelectionInput(builder.build(), scenario, subscenario, null);
        double[] strong = new double[items];
        for (int j = 0; j < items; j++) {
            strong[j] = random.nextDouble() < p(strongAbility, difficulty[j]) ? 1 : 0;
        }
        return new WeakTrainingSimulation(input, strong,
                ScenarioScores.of(strong, input.balanceWeights(), scenario, 1)[0],
                UnidimensionalItems.twoPl(IntStream.range(0, items).mapToDouble(j -> 1.5).toArray(),
                        Arrays.stream(difficulty).map(b -> -1.5 * b).toArray()));
    }

    private static double p(double theta, double b) {
        return 1 / (1 + Math.exp(-1.5 * (theta - b)));
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
