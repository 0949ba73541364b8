package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;

/**
 * Forward stepwise regression ({@code stepwise}; Efroymson, 1960), Itembank's own selection for the reading that
 * regresses the full score on a subset's answers ({@code ridge}, the reading that wins with hundreds of training
 * models): per scenario, starting from no item, add the item whose answers most reduce the residual sum of squares of
 * the least-squares fit of the training models' scenario score on the items chosen so far. With x_k a candidate's
 * answers over the training models, centred and made orthogonal to the items already chosen, and r the residual of
 * the fit so far (at first the centred scores), the next item is
 * <pre>
 *   j = argmax_k (x_k' r)^2 / |x_k|^2          (the drop in the residual sum of squares that adding k brings)
 *   then, q = x_j / |x_j|:   r <- r - q (q' r),   x_k <- x_k - q (q' x_k) for every remaining candidate k
 * </pre>
 * (Gram-Schmidt: each step costs three passes over the candidates' answers). An unanswered item counts as its mean
 * over the training models. A candidate left with |x_k|^2 below {@link #DEGENERATE} of its first norm is a linear
 * combination of the chosen items and adds nothing: with n training models at most n - 1 items can add anything,
 * and once none can, the rest of the scenario's budget is drawn at random among the remaining items (a note says how
 * many), so that the subset holds its budget. With more than {@link #MAX_CELLS} answers in a scenario, a seeded
 * random sample of the training models is used (its size in a note).
 * <p>
 * The items are chosen for a regression on their answers, not to stand for the scenario: their balance-weighted mean
 * is no estimate of it (the estimators learn what it is), and a model unlike the training models is read through the
 * random part {@code auto} adds ({@link HybridSelection}). Weights: the items' balance weights, normalised per
 * scenario.
 */
public final class StepwiseSelection {

    /** A candidate whose orthogonalised squared norm falls below this share of its first one adds nothing. */
    static final double DEGENERATE = 1e-9;
    /** At most this many answers (models x candidate items) per scenario enter the search. */
    static final long MAX_CELLS = 20_000_000L;
    /**
     * Below this many training models a note advises against the method: on the evaluation summary's datasets with
     * fewer it read held-out models worse than {@code auto} (and on three of six worse than a random sample's mean).
     */
    static final int RECOMMENDED_MODELS = 100;

    private StepwiseSelection() {
    }

    public static Subset select(SelectionInput input, Budget budget, long seed, boolean[] excluded) {
        ResponseMatrix responses = input.responses();
        int scenarios = input.scenarios();
        double[] balance = input.balanceWeights();
        int[][] pools = new int[scenarios][];
        int[] sizes = new int[scenarios];
        for (int s = 0; s < scenarios; s++) {
            pools[s] = Arrays.stream(input.itemsOf(s)).filter(j -> excluded == null || !excluded[j]).toArray();
            sizes[s] = pools[s].length;
        }
        int[] perScenario = budget.perScenario(sizes);
        double[][] scores = ScenarioScores.table(responses, balance, input.scenarioOfItem(), scenarios);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> chosen = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            if (perScenario[s] == 0) {
                continue;
            }
            int[] models = models(responses.models(), pools[s].length, random);
            Search search = new Search(responses, pools[s], models, scores[s]);
            int[] picked = search.run(perScenario[s]);
            int searched = picked.length;
            picked = fill(picked, pools[s], perScenario[s], random);
            notes.add(String.format(Locale.ROOT, "scenario %d: %d items by stepwise regression (in-sample R^2 %.3f on "
                    + "%d training models)%s", s, searched, search.explained(), models.length,
                    picked.length > searched ? ", " + (picked.length - searched) + " drawn at random once no item "
                            + "added anything" : ""));
            double total = Arrays.stream(picked).mapToDouble(j -> balance[j]).sum();
            for (int j : picked) {
                chosen.add(j);
                weights.add(balance[j] / total);
            }
        }
        if (responses.models() < RECOMMENDED_MODELS) {
            notes.add("only " + responses.models() + " training models: stepwise is made for " + RECOMMENDED_MODELS
                    + " or more (with fewer, its regression reads new models worse than auto's subsets)");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("target", "scenario score");
        return new Subset("stepwise", parameters, seed, chosen.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), perScenario,
                new Subset.Diagnostics(null, null, List.of(), notes));
    }

    /** Every training model, or a seeded sample of them that keeps the search within {@link #MAX_CELLS}. */
    private static int[] models(int models, int candidates, SplittableRandom random) {
        long cap = Math.max(2, MAX_CELLS / Math.max(1, candidates));
        if (models <= cap) {
            return java.util.stream.IntStream.range(0, models).toArray();
        }
        int[] sample = Arrays.copyOf(Simulation.permutation(models, random), (int) cap);
        Arrays.sort(sample);
        return sample;
    }

    /** The picked items, then items of the pool drawn at random until the quota is met. */
    private static int[] fill(int[] picked, int[] pool, int quota, SplittableRandom random) {
        if (picked.length >= quota) {
            return picked;
        }
        boolean[] taken = new boolean[Arrays.stream(pool).max().orElse(0) + 1];
        for (int j : picked) {
            taken[j] = true;
        }
        int[] rest = Arrays.stream(pool).filter(j -> !taken[j]).toArray();
        int[] order = Simulation.permutation(rest.length, random);
        int[] filled = Arrays.copyOf(picked, quota);
        for (int k = picked.length; k < quota; k++) {
            filled[k] = rest[order[k - picked.length]];
        }
        return filled;
    }

    /** The search of one scenario over its pool, on the given training models. */
    private static final class Search {
        private final int[] pool;
        /** Per candidate (pool position), its centred answers over the models, orthogonalised as items are chosen. */
        private final double[][] x;
        private final double[] norms;
        private final double[] firstNorms;
        private final double[] residual;
        private final double total;

        Search(ResponseMatrix responses, int[] pool, int[] models, double[] scores) {
            this.pool = pool;
            int n = models.length;
            this.x = new double[pool.length][n];
            this.norms = new double[pool.length];
            this.firstNorms = new double[pool.length];
            // the target: the models' scenario scores, centred (a model without any answer in it counts as the mean)
            double mean = Arrays.stream(models).mapToDouble(l -> scores[l]).filter(Double::isFinite).average()
                    .orElse(0);
            this.residual = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double y = scores[models[i]];
                residual[i] = Double.isFinite(y) ? y - mean : 0;
                sum += residual[i] * residual[i];
            }
            this.total = sum;
            for (int p = 0; p < pool.length; p++) {
                double[] column = x[p];
                double itemSum = 0;
                int answered = 0;
                for (int i = 0; i < n; i++) {
                    column[i] = responses.get(models[i], pool[p]);
                    if (!Double.isNaN(column[i])) {
                        itemSum += column[i];
                        answered++;
                    }
                }
                double itemMean = answered == 0 ? 0 : itemSum / answered;
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    column[i] = Double.isNaN(column[i]) ? 0 : column[i] - itemMean;
                    norm += column[i] * column[i];
                }
                norms[p] = norm;
                firstNorms[p] = norm;
            }
        }

        /** Up to {@code budget} items, each the one that most reduces the residual sum of squares. */
        int[] run(int budget) {
            boolean[] used = new boolean[pool.length];
            List<Integer> picked = new ArrayList<>();
            while (picked.size() < budget) {
                int best = -1;
                double bestGain = 0;
                for (int p = 0; p < pool.length; p++) {
                    if (used[p] || !(norms[p] > DEGENERATE * firstNorms[p]) || norms[p] <= 0) {
                        continue;
                    }
                    double dot = dot(x[p], residual);
                    double gain = dot * dot / norms[p];
                    if (best < 0 || gain > bestGain) {
                        best = p;
                        bestGain = gain;
                    }
                }
                if (best < 0) {
                    break; // every remaining candidate is a combination of the chosen items
                }
                used[best] = true;
                picked.add(pool[best]);
                double[] q = x[best].clone();
                double scale = 1 / Math.sqrt(norms[best]);
                for (int i = 0; i < q.length; i++) {
                    q[i] *= scale;
                }
                subtract(residual, q, dot(q, residual));
                for (int p = 0; p < pool.length; p++) {
                    if (!used[p]) {
                        double along = dot(q, x[p]);
                        subtract(x[p], q, along);
                        norms[p] = Math.max(0, norms[p] - along * along);
                    }
                }
            }
            return picked.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The share of the scores' variance that the chosen items explain in sample. */
        double explained() {
            return total <= 0 ? 1 : 1 - dot(residual, residual) / total;
        }

        private static double dot(double[] a, double[] b) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += a[i] * b[i];
            }
            return sum;
        }

        private static void subtract(double[] target, double[] q, double amount) {
            for (int i = 0; i < target.length; i++) {
                target[i] -= amount * q[i];
            }
        }
    }
}
