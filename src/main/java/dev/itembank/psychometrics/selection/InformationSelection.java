package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.itembank.psychometrics.irt.AbilityEstimator;
import dev.itembank.psychometrics.irt.AbilityMethod;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.EmCalibrator;
import dev.itembank.psychometrics.irt.ItemModel;
import dev.itembank.psychometrics.irt.ItemScreening;
import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.irt.UnidimensionalItems;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * metabench's information filtering, per scenario: drop items by metabench's preprocessing, split the training
 * models' abilities into quantile bins and take, bin by bin, the remaining item of highest information inside the
 * bin if it reaches a threshold. The number of bins and the threshold are tuned on validation models (a seeded
 * fifth of the training models) to minimise RMSE of the IRT-predicted scenario score + lambda |subset|, by a grid
 * search (metabench uses Bayesian optimisation over the same two knobs). A subset larger than the budget keeps
 * its items of highest information.
 *
 * @see <a href="https://arxiv.org/abs/2407.12844">Kipnis et al. (2025), metabench</a>
 */
public final class InformationSelection {

    /** metabench's lambda 0.005 per item on its 0-100 score scale, on Itembank's 0-1 scale. */
    public static final double LAMBDA = 0.00005;
    private static final double[] BIN_FACTORS = {1.0, 1.5, 2.0, 3.0};
    private static final double[] THRESHOLDS = {0.0, 0.05, 0.1, 0.2, 0.4};

    private InformationSelection() {
    }

    public static Subset select(SelectionInput input, Budget budget, long seed, boolean[] excluded) {
        ResponseMatrix responses = input.responses();
        ItemScreening.Result preprocessing = ItemScreening.compute(responses);
        boolean[] dropped = new boolean[responses.items()];
        List<Subset.Dropped> droppedItems = new ArrayList<>();
        for (ItemScreening.Dropped item : preprocessing.droppedItems()) {
            dropped[item.index()] = true;
            droppedItems.add(new Subset.Dropped(item.index(), item.reason()));
        }
        double[] balance = input.balanceWeights();
        int scenarios = input.scenarios();
        int[][] pools = new int[scenarios][];
        int[] sizes = new int[scenarios];
        for (int s = 0; s < scenarios; s++) {
            pools[s] = Arrays.stream(input.itemsOf(s))
                    .filter(j -> !dropped[j] && (excluded == null || !excluded[j])).toArray();
            if (pools[s].length == 0) { // preprocessing left nothing: fall back to the whole scenario
                pools[s] = Arrays.stream(input.itemsOf(s)).filter(j -> excluded == null || !excluded[j]).toArray();
            }
            sizes[s] = pools[s].length;
        }
        int[] perScenario = budget.perScenario(sizes);
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = Simulation.permutation(responses.models(), random);
        int validationSize = Math.max(1, responses.models() / 5);
        int[] validation = Arrays.copyOf(order, validationSize);
        int[] training = Arrays.copyOfRange(order, validationSize, order.length);
        Arrays.sort(validation);
        Arrays.sort(training);
        List<Integer> chosen = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            int[] scenarioItems = input.itemsOf(s);
            UnidimensionalItems items = calibration(input, scenarioItems);
            Search search = new Search(responses, scenarioItems, pools[s], items, training, validation);
            Search.Choice best = search.best(perScenario[s]);
            notes.add("scenario " + s + ": " + best.bins() + " bins, threshold " + best.threshold() + ", validation RMSE "
                    + String.format("%.4f", best.rmse()) + ", " + best.items().length + " items");
            double total = Arrays.stream(best.items()).mapToDouble(j -> balance[j]).sum();
            for (int j : best.items()) {
                chosen.add(j);
                weights.add(balance[j] / total);
            }
            perScenario[s] = best.items().length;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("lambda", String.valueOf(LAMBDA));
        parameters.put("binFactors", Arrays.toString(BIN_FACTORS));
        parameters.put("thresholds", Arrays.toString(THRESHOLDS));
        return new Subset("information", parameters, seed, chosen.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), perScenario,
                new Subset.Diagnostics(null, null, droppedItems, notes));
    }

    /**
     * Unidimensional items for the scenario's items: the given calibration when it is unidimensional, otherwise
     * a 2PL fitted on the training responses to this scenario; indexed by the scenario's item order.
     */
    private static UnidimensionalItems calibration(SelectionInput input, int[] scenarioItems) {
        if (input.items() instanceof UnidimensionalItems all) {
            return new UnidimensionalItems(all.model(), pick(all.slope(), scenarioItems),
                    pick(all.intercept(), scenarioItems), pick(all.guessing(), scenarioItems),
                    pick(all.upper(), scenarioItems));
        }
        // a screening fit: information ranks items, so a looser tolerance than a published calibration's will do
        return (UnidimensionalItems) EmCalibrator.compute(input.responses().selectItems(scenarioItems),
                EmCalibrator.Options.defaults(ItemModel.TWO_PL).withTolerance(1e-3).withMaxIterations(100),
                CalibrationMonitor.NONE).items();
    }

    private static double[] pick(double[] values, int[] indices) {
        return Arrays.stream(indices).mapToDouble(j -> values[j]).toArray();
    }

    /** The grid search of one scenario. */
    private static final class Search {
        private final ResponseMatrix responses;
        private final int[] scenarioItems;
        private final int[] pool;
        private final UnidimensionalItems items;
        private final int[] validation;
        private final double[] trainingAbilities;
        private final double[] validationScores;
        private final int[] localOf;
        /** Information of each pool item (by pool position) at each training ability (sorted). */
        private final double[][] information;

        record Choice(int[] items, int bins, double threshold, double rmse, double objective) {
        }

        Search(ResponseMatrix responses, int[] scenarioItems, int[] pool, UnidimensionalItems items, int[] training,
                int[] validation) {
            this.responses = responses;
            this.scenarioItems = scenarioItems;
            this.pool = pool;
            this.items = items;
            this.validation = validation;
            this.localOf = new int[responses.items()];
            Arrays.fill(localOf, -1);
            for (int k = 0; k < scenarioItems.length; k++) {
                localOf[scenarioItems[k]] = k;
            }
            int[] local = IntStream.range(0, scenarioItems.length).toArray();
            this.trainingAbilities = Arrays.stream(training)
                    .mapToDouble(l -> ability(l, local)).sorted().toArray();
            this.validationScores = Arrays.stream(validation).mapToDouble(l -> mean(l, scenarioItems)).toArray();
            this.information = new double[pool.length][trainingAbilities.length];
            for (int p = 0; p < pool.length; p++) {
                for (int t = 0; t < trainingAbilities.length; t++) {
                    information[p][t] = items.information(localOf[pool[p]], trainingAbilities[t]);
                }
            }
        }

        Choice best(int budget) {
            Choice best = null;
            for (double factor : BIN_FACTORS) {
                int bins = Math.max(1, (int) Math.ceil(factor * budget));
                for (double threshold : THRESHOLDS) {
                    int[] subset = filter(bins, threshold, budget);
                    if (subset.length == 0) {
                        continue;
                    }
                    double rmse = validationRmse(subset);
                    double objective = rmse + LAMBDA * subset.length;
                    if (best == null || objective < best.objective()) {
                        best = new Choice(subset, bins, threshold, rmse, objective);
                    }
                }
            }
            return best;
        }

        /** Bin by bin, the remaining pool item of highest information inside the bin, if at least the threshold. */
        int[] filter(int bins, double threshold, int budget) {
            boolean[] used = new boolean[scenarioItems.length];
            List<Integer> kept = new ArrayList<>();
            List<Double> peaks = new ArrayList<>();
            for (int b = 0; b < bins; b++) {
                double low = quantile(trainingAbilities, (double) b / bins);
                double high = quantile(trainingAbilities, (double) (b + 1) / bins);
                int bestItem = -1;
                double bestInformation = Double.NEGATIVE_INFINITY;
                for (int p = 0; p < pool.length; p++) {
                    if (used[localOf[pool[p]]]) {
                        continue;
                    }
                    double peak = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t < trainingAbilities.length; t++) {
                        if (trainingAbilities[t] >= low && trainingAbilities[t] <= high) {
                            peak = Math.max(peak, information[p][t]);
                        }
                    }
                    if (peak > bestInformation) {
                        bestInformation = peak;
                        bestItem = pool[p];
                    }
                }
                if (bestItem < 0) {
                    break;
                }
                used[localOf[bestItem]] = true;
                if (bestInformation >= threshold) {
                    kept.add(bestItem);
                    peaks.add(bestInformation);
                }
            }
            Integer[] order = IntStream.range(0, kept.size()).boxed().toArray(Integer[]::new);
            Arrays.sort(order, (x, y) -> Double.compare(peaks.get(y), peaks.get(x)));
            return Arrays.stream(order).limit(budget).mapToInt(kept::get).sorted().toArray();
        }

        private double validationRmse(int[] subset) {
            int[] local = Arrays.stream(subset).map(j -> localOf[j]).toArray();
            double squared = 0;
            for (int v = 0; v < validation.length; v++) {
                double theta = ability(validation[v], local);
                double predicted = 0;
                for (int k = 0; k < scenarioItems.length; k++) {
                    predicted += items.probability(k, theta);
                }
                double error = predicted / scenarioItems.length - validationScores[v];
                squared += error * error;
            }
            return Math.sqrt(squared / validation.length);
        }

        private double ability(int model, int[] local) {
            double[] answers = new double[local.length];
            for (int k = 0; k < local.length; k++) {
                answers[k] = responses.get(model, scenarioItems[local[k]]);
            }
            return AbilityEstimator.estimate(items, local, answers, AbilityMethod.MAP).theta()[0];
        }

        private double mean(int model, int[] columns) {
            double sum = 0;
            int count = 0;
            for (int j : columns) {
                double y = responses.get(model, j);
                if (!Double.isNaN(y)) {
                    sum += y;
                    count++;
                }
            }
            return count == 0 ? Double.NaN : sum / count;
        }

        private static double quantile(double[] sorted, double probability) {
            double h = (sorted.length - 1) * probability;
            int low = (int) Math.floor(h);
            int high = Math.min(sorted.length - 1, low + 1);
            return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
        }
    }
}
