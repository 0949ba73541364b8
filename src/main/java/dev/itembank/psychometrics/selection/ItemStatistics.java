package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/** Per-item statistics over the training models, and per-model scores of the full benchmark and of subsets. */
final class ItemStatistics {

    private final SelectionInput input;
    private final double[] difficulty;
    private final double[] quality;
    private final double[] fullScores;

    private ItemStatistics(SelectionInput input, double[] difficulty, double[] quality, double[] fullScores) {
        this.input = input;
        this.difficulty = difficulty;
        this.quality = quality;
        this.fullScores = fullScores;
    }

    static ItemStatistics of(SelectionInput input) {
        ResponseMatrix responses = input.responses();
        int models = responses.models();
        int items = responses.items();
        double[] full = overall(Selection.scenarioScores(input, null));
        double[][] cells = new double[models][items];
        for (int l = 0; l < models; l++) {
            responses.row(l, cells[l]);
        }
        double[] difficulty = new double[items];
        double[] quality = new double[items];
        for (int j = 0; j < items; j++) {
            double sum = 0;
            double sumTotal = 0;
            double cross = 0;
            double squares = 0;
            double totalSquares = 0;
            int count = 0;
            for (int l = 0; l < models; l++) {
                double y = cells[l][j];
                if (Double.isNaN(y)) {
                    continue;
                }
                count++;
                sum += y;
                squares += y * y;
                sumTotal += full[l];
                totalSquares += full[l] * full[l];
                cross += y * full[l];
            }
            double mean = count == 0 ? 0.5 : sum / count;
            difficulty[j] = 1 - mean;
            double covariance = cross / Math.max(1, count) - mean * sumTotal / Math.max(1, count);
            double itemVariance = squares / Math.max(1, count) - mean * mean;
            double totalMean = sumTotal / Math.max(1, count);
            double totalVariance = totalSquares / Math.max(1, count) - totalMean * totalMean;
            double correlation = covariance / Math.sqrt(itemVariance * totalVariance);
            quality[j] = Double.isFinite(correlation) ? correlation : 0;
        }
        return new ItemStatistics(input, difficulty, quality, full);
    }

    double[] difficulty() {
        return difficulty;
    }

    double[] quality() {
        return quality;
    }

    double[] fullScores() {
        return fullScores;
    }

    /** Each model's score on the subset: the weighted mean per scenario, averaged over scenarios. */
    double[] subsetScores(Subset subset) {
        return overall(Selection.scenarioScores(input, subset));
    }

    /** Per model, the mean over scenarios of its scenario scores (a scenario it has no score in counts 0). */
    private static double[] overall(double[][] scenarioScores) {
        int scenarios = scenarioScores.length;
        double[] overall = new double[scenarioScores[0].length];
        for (double[] scores : scenarioScores) {
            for (int l = 0; l < overall.length; l++) {
                overall[l] += Double.isNaN(scores[l]) ? 0 : scores[l] / scenarios;
            }
        }
        return overall;
    }

    /** [anchor Spearman, mean difficulty, sd of difficulty, mean quality, sd of the models' subset scores]. */
    double[] features(Subset subset, double[] subsetScores, double anchorSpearman) {
        double[] d = Arrays.stream(subset.items()).mapToDouble(j -> difficulty[j]).toArray();
        double meanDifficulty = Arrays.stream(d).average().orElse(0);
        double sdDifficulty = Math.sqrt(Arrays.stream(d).map(x -> (x - meanDifficulty) * (x - meanDifficulty))
                .average().orElse(0));
        double meanQuality = Arrays.stream(subset.items()).mapToDouble(j -> quality[j]).average().orElse(0);
        double meanScore = Arrays.stream(subsetScores).average().orElse(0);
        double dispersion = Math.sqrt(Arrays.stream(subsetScores).map(x -> (x - meanScore) * (x - meanScore))
                .average().orElse(0));
        return new double[] {anchorSpearman, meanDifficulty, sdDifficulty, meanQuality, dispersion};
    }

    /**
     * A sampler that favours items high on {@code criterion}: per scenario, budget items drawn at random from the
     * top half of the scenario's items by the criterion.
     */
    Subset fromTop(String name, double[] criterion, Budget budget, long seed, boolean[] excluded) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] balance = input.balanceWeights();
        int scenarios = input.scenarios();
        int[] sizes = new int[scenarios];
        List<List<Integer>> pools = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            List<Integer> available = RandomSelection.available(input.itemsOf(s), excluded);
            available.sort((a, b) -> Double.compare(criterion[b], criterion[a]));
            sizes[s] = available.size();
            pools.add(available);
        }
        int[] perScenario = budget.perScenario(sizes);
        List<Integer> chosen = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            List<Integer> top = new ArrayList<>(pools.get(s).subList(0, Math.max(perScenario[s],
                    pools.get(s).size() / 2)));
            RandomSelection.shuffle(top, random);
            List<Integer> picked = top.subList(0, perScenario[s]);
            double total = picked.stream().mapToDouble(j -> balance[j]).sum();
            for (int j : picked) {
                chosen.add(j);
                weights.add(balance[j] / total);
            }
        }
        return new Subset(name, Map.of("seed", String.valueOf(seed), "criterion", name), seed,
                chosen.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), perScenario, Subset.Diagnostics.none());
    }
}
