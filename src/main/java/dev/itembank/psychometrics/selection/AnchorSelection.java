package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.MultidimensionalItems;
import dev.itembank.psychometrics.irt.TinyBenchmarksItems;
import dev.itembank.psychometrics.irt.UnidimensionalItems;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * tinyBenchmarks' anchor points: per scenario, weighted k-means of the items (weights: normalised balance
 * weights) with one cluster per item of the budget, 5 trials (k-means++ starts from seeds 1000 t + seed), the
 * trial of lowest inertia kept; each cluster's anchor is the item nearest its centroid, weighted by the summed
 * weight of its cluster. Items are described by their correctness across the training models
 * ({@code anchor-correctness}) or by their IRT embedding, discriminations and difficulty ({@code anchor-irt}).
 *
 * @see <a href="https://arxiv.org/abs/2402.14992">Maia Polo et al. (2024), tinyBenchmarks</a>
 * @see <a href="https://arxiv.org/abs/2309.08638">Vivek et al. (2024), Anchor Points</a>
 */
public final class AnchorSelection {

    static final int TRIALS = 5;

    private AnchorSelection() {
    }

    public enum Features {
        CORRECTNESS("anchor-correctness"),
        IRT("anchor-irt");

        private final String method;

        Features(String method) {
            this.method = method;
        }

        public String method() {
            return method;
        }
    }

    public static Subset select(SelectionInput input, Budget budget, long seed, Features features,
            boolean[] excluded) {
        if (features == Features.IRT && input.items() == null) {
            throw new IllegalArgumentException("anchor-irt needs a calibration of the items");
        }
        double[] balance = input.balanceWeights();
        int scenarios = input.scenarios();
        int[] sizes = new int[scenarios];
        List<int[]> members = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            int[] available = RandomSelection.available(input.itemsOf(s), excluded).stream()
                    .mapToInt(Integer::intValue).toArray();
            members.add(available);
            sizes[s] = available.length;
        }
        int[] perScenario = budget.perScenario(sizes);
        double[][] points = new double[scenarios][];
        double[][] pointWeights = new double[scenarios][];
        int[] dims = new int[scenarios];
        for (int s = 0; s < scenarios; s++) {
            int[] items = members.get(s);
            dims[s] = features == Features.IRT ? input.items().dimensions() + 1 : input.responses().models();
            points[s] = features == Features.IRT ? irtEmbedding(input.items(), items)
                    : correctness(input.responses(), items);
            double total = 0;
            for (int j : items) {
                total += balance[j];
            }
            pointWeights[s] = new double[items.length];
            for (int k = 0; k < items.length; k++) {
                pointWeights[s][k] = balance[items[k]] / total;
            }
        }
        // every (scenario, trial) pair is one task; the largest scenarios' tasks go first (longest-processing-time
        // order), so that the cores finish together; per scenario the lowest inertia wins, the earliest trial on ties
        WeightedKMeans.Result[] fits = new WeightedKMeans.Result[scenarios * TRIALS];
        int[] order = java.util.stream.IntStream.range(0, fits.length).boxed()
                .sorted(java.util.Comparator.comparingInt(task -> -members.get(task / TRIALS).length))
                .mapToInt(Integer::intValue).toArray();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable worker = () -> {
            for (int at = next.getAndIncrement(); at < order.length; at = next.getAndIncrement()) {
                int task = order[at];
                int s = task / TRIALS;
                fits[task] = WeightedKMeans.fit(points[s], members.get(s).length, dims[s], pointWeights[s],
                        perScenario[s], new SplittableRandom(1000L * (task % TRIALS) + seed));
            }
        };
        List<java.util.concurrent.CompletableFuture<Void>> helpers = java.util.stream.IntStream
                .range(1, Math.min(order.length, Runtime.getRuntime().availableProcessors()))
                .mapToObj(h -> java.util.concurrent.CompletableFuture.runAsync(worker)).toList();
        worker.run();
        helpers.forEach(java.util.concurrent.CompletableFuture::join);
        List<Integer> chosen = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double[] inertia = new double[scenarios];
        for (int s = 0; s < scenarios; s++) {
            int[] items = members.get(s);
            WeightedKMeans.Result best = fits[s * TRIALS];
            for (int trial = 1; trial < TRIALS; trial++) {
                if (fits[s * TRIALS + trial].inertia() < best.inertia()) {
                    best = fits[s * TRIALS + trial];
                }
            }
            inertia[s] = best.inertia();
            double[] clusterWeight = new double[perScenario[s]];
            for (int k = 0; k < items.length; k++) {
                clusterWeight[best.labels()[k]] += pointWeights[s][k];
            }
            // the anchor of a cluster is the item nearest its centroid that no other cluster's anchor is already:
            // items with equal features (all models right, say) would otherwise anchor two clusters, and a subset
            // lists each item once (tinyBenchmarks takes the plain argmin and can repeat an item)
            boolean[] taken = new boolean[items.length];
            for (int c = 0; c < perScenario[s]; c++) {
                int nearest = -1;
                double distance = Double.POSITIVE_INFINITY;
                for (int k = 0; k < items.length; k++) {
                    double d = WeightedKMeans.distance(points[s], k, best.centroids(), c, dims[s]);
                    if (!taken[k] && (nearest < 0 || d < distance)) {
                        distance = d;
                        nearest = k;
                    }
                }
                taken[nearest] = true;
                chosen.add(items[nearest]);
                weights.add(clusterWeight[c]);
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("trials", String.valueOf(TRIALS));
        parameters.put("features", features == Features.IRT ? "discriminations and difficulty" : "correctness");
        return new Subset(features.method(), parameters, seed, chosen.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), perScenario,
                new Subset.Diagnostics(inertia, null, List.of(), List.of()));
    }

    /** Each item's scores across the training models (missing cells: the item's mean). */
    static double[] correctness(ResponseMatrix responses, int[] items) {
        int models = responses.models();
        double[] points = new double[items.length * models];
        for (int k = 0; k < items.length; k++) {
            double sum = 0;
            int count = 0;
            for (int l = 0; l < models; l++) {
                double y = responses.get(l, items[k]);
                if (!Double.isNaN(y)) {
                    sum += y;
                    count++;
                }
            }
            double mean = count == 0 ? 0.5 : sum / count;
            for (int l = 0; l < models; l++) {
                double y = responses.get(l, items[k]);
                points[k * models + l] = Double.isNaN(y) ? mean : y;
            }
        }
        return points;
    }

    /**
     * tinyBenchmarks' IRT embedding (alpha_1..alpha_D, beta): discriminations stacked over the difficulty, where
     * P = sigmoid(alpha . theta - D beta). From slope-intercept items: alpha = a, beta = -d / D.
     */
    static double[] irtEmbedding(ItemBank bank, int[] items) {
        int dims = bank.dimensions();
        double[] points = new double[items.length * (dims + 1)];
        for (int k = 0; k < items.length; k++) {
            int j = items[k];
            int at = k * (dims + 1);
            if (bank instanceof MultidimensionalItems multi) {
                for (int d = 0; d < dims; d++) {
                    points[at + d] = multi.slope(j, d);
                }
                points[at + dims] = -multi.intercepts()[j] / dims;
            } else if (bank instanceof UnidimensionalItems uni) {
                points[at] = uni.slope()[j];
                points[at + 1] = -uni.intercept()[j];
            } else if (bank instanceof TinyBenchmarksItems tiny) {
                System.arraycopy(tiny.discriminations(), j * dims, points, at, dims);
                points[at + dims] = tiny.difficulties()[j];
            } else {
                throw new IllegalArgumentException("no IRT embedding for " + bank.getClass().getSimpleName());
            }
        }
        return points;
    }
}
