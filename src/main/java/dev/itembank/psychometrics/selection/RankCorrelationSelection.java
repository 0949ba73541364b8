package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.hipparchus.stat.correlation.SpearmansCorrelation;
import org.hipparchus.stat.regression.OLSMultipleLinearRegression;

import dev.itembank.psychometrics.irt.Simulation;

/**
 * SubLIME's rank-correlation prediction, as Itembank reads the published abstract (the paper's details could not
 * be confirmed; see METHODS.md): candidate subsets at the budget come from the other samplers (random, anchors)
 * and from difficulty- and quality-based ones; each is described by dataset-intrinsic features (mean and spread
 * of difficulty, mean quality as point-biserial discrimination, dispersion of the models' subset scores) and by
 * the Spearman correlation of its ranking with the full ranking on a few anchor models; a linear regressor,
 * trained on the candidates against their correlation on the other training models, predicts each candidate's
 * correlation on unseen models, and the winner is returned with its prediction.
 */
public final class RankCorrelationSelection {

    public static final int ANCHOR_MODELS = 10;
    private static final int RANDOM_CANDIDATES = 8;
    private static final int SEEDED_CANDIDATES = 4;

    private RankCorrelationSelection() {
    }

    public static Subset select(SelectionInput input, Budget budget, long seed, boolean[] excluded) {
        return select(input, budget, seed, excluded, dev.itembank.psychometrics.irt.CalibrationMonitor.NONE);
    }

    /** As above, stopping soon after {@code monitor} is cancelled (checked before each candidate subset). */
    static Subset select(SelectionInput input, Budget budget, long seed, boolean[] excluded,
            dev.itembank.psychometrics.irt.CalibrationMonitor monitor) {
        int models = input.responses().models();
        if (models < ANCHOR_MODELS + 5) {
            throw new IllegalArgumentException("rank-correlation needs at least " + (ANCHOR_MODELS + 5)
                    + " training models, got " + models);
        }
        int[] order = Simulation.permutation(models, new SplittableRandom(seed));
        int[] anchors = Arrays.copyOf(order, ANCHOR_MODELS);
        int[] reference = Arrays.copyOfRange(order, ANCHOR_MODELS, models);
        ItemStatistics statistics = ItemStatistics.of(input);
        double[] fullScores = statistics.fullScores();

        List<Subset> candidates = candidates(input, budget, seed, excluded, statistics, monitor);
        double[][] features = new double[candidates.size()][];
        double[] observed = new double[candidates.size()];
        for (int c = 0; c < candidates.size(); c++) {
            double[] subsetScores = statistics.subsetScores(candidates.get(c));
            features[c] = statistics.features(candidates.get(c), subsetScores,
                    spearman(subsetScores, fullScores, anchors));
            observed[c] = spearman(subsetScores, fullScores, reference);
        }
        double[] predicted = predict(features, observed);
        int winner = 0;
        for (int c = 1; c < candidates.size(); c++) {
            if (predicted[c] > predicted[winner]) {
                winner = c;
            }
        }
        Subset best = candidates.get(winner);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("anchorModels", String.valueOf(ANCHOR_MODELS));
        parameters.put("candidates", String.valueOf(candidates.size()));
        parameters.put("winner", best.method() + describe(best.parameters()));
        parameters.put("predictedSpearman", String.format("%.4f", predicted[winner]));
        List<String> notes = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            notes.add(String.format("%s%s: anchor rho %.4f, predicted %.4f, reference rho %.4f",
                    candidates.get(c).method(), describe(candidates.get(c).parameters()), features[c][0],
                    predicted[c], observed[c]));
        }
        return new Subset("rank-correlation", parameters, seed, best.items(), best.weights(), best.budget(),
                new Subset.Diagnostics(null, null, List.of(), notes));
    }

    private static List<Subset> candidates(SelectionInput input, Budget budget, long seed, boolean[] excluded,
            ItemStatistics statistics, dev.itembank.psychometrics.irt.CalibrationMonitor monitor) {
        List<Subset> candidates = new ArrayList<>();
        for (int k = 0; k < RANDOM_CANDIDATES; k++) {
            candidates.add(tagged(RandomSelection.select(input, budget, seed * 31 + k, excluded), "seed", k));
        }
        for (int k = 0; k < SEEDED_CANDIDATES; k++) {
            monitor.checkCancelled();
            candidates.add(tagged(AnchorSelection.select(input, budget, seed * 31 + k, AnchorSelection.Features.CORRECTNESS,
                    excluded), "seed", k));
            if (input.items() != null) {
                candidates.add(tagged(AnchorSelection.select(input, budget, seed * 31 + k, AnchorSelection.Features.IRT,
                        excluded), "seed", k));
            }
            candidates.add(statistics.fromTop("difficulty", statistics.difficulty(), budget, seed * 31 + k, excluded));
            candidates.add(statistics.fromTop("quality", statistics.quality(), budget, seed * 31 + k, excluded));
        }
        return candidates;
    }

    private static Subset tagged(Subset subset, String key, int value) {
        Map<String, String> parameters = new LinkedHashMap<>(subset.parameters());
        parameters.put(key, String.valueOf(value));
        return new Subset(subset.method(), parameters, subset.seed(), subset.items(), subset.weights(), subset.budget(),
                subset.diagnostics());
    }

    /** Ridge-free least squares on the candidates; a rank-deficient design falls back to the observed values. */
    private static double[] predict(double[][] features, double[] observed) {
        try {
            OLSMultipleLinearRegression regression = new OLSMultipleLinearRegression();
            regression.newSampleData(observed, features);
            double[] beta = regression.estimateRegressionParameters();
            double[] predicted = new double[features.length];
            for (int c = 0; c < features.length; c++) {
                predicted[c] = beta[0];
                for (int f = 0; f < features[c].length; f++) {
                    predicted[c] += beta[f + 1] * features[c][f];
                }
            }
            return predicted;
        } catch (org.hipparchus.exception.MathRuntimeException e) {
            return features.length == 0 ? new double[0] : Arrays.stream(features).mapToDouble(f -> f[0]).toArray();
        }
    }

    static double spearman(double[] a, double[] b, int[] rows) {
        double[] x = Arrays.stream(rows).mapToDouble(l -> a[l]).toArray();
        double[] y = Arrays.stream(rows).mapToDouble(l -> b[l]).toArray();
        double rho = new SpearmansCorrelation().correlation(x, y);
        return Double.isNaN(rho) ? 0 : rho;
    }

    private static String describe(Map<String, String> parameters) {
        return parameters.containsKey("seed") ? " (seed " + parameters.get("seed") + ")" : "";
    }
}
