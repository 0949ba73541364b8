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
 * be confirmed; see METHODS.md). SubLIME knows a new benchmark through a few anchor models: here 10 of the
 * training models. From their answers alone come the candidate subsets at the budget (the other samplers - random,
 * anchors - and difficulty- and quality-based ones) and each candidate's features (mean and spread of difficulty,
 * mean quality as point-biserial discrimination, dispersion of the anchors' subset scores, and the Spearman
 * correlation of the anchors' subset ranking with their full ranking). A linear rank-correlation predictor learns,
 * on half of the candidates, their correlation on the other training models, and chooses among the other half,
 * which it has not seen; its error there is reported ({@code predictorOutOfSampleMae}). (An earlier version
 * described candidates with every training model and fitted and applied the predictor to the same candidates, so
 * that its choice was a smoothed argmax of the observed correlation.)
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
        Arrays.sort(anchors);
        // what SubLIME knows of the benchmark: the anchor models' answers (intrinsic metrics, candidates, features)
        SelectionInput anchorInput = new SelectionInput(input.responses().selectModels(anchors),
                input.scenarioOfItem(), input.subscenarioOfItem(), input.items(), input.embeddings());
        ItemStatistics anchorStatistics = ItemStatistics.of(anchorInput);
        // ... and, to learn the rank-correlation predictor, the full rankings of the other training models
        ItemStatistics statistics = ItemStatistics.of(input);
        double[] fullScores = statistics.fullScores();

        List<Subset> candidates = candidates(anchorInput, budget, seed, excluded, anchorStatistics, monitor);
        double[][] features = new double[candidates.size()][];
        double[] observed = new double[candidates.size()];
        for (int c = 0; c < candidates.size(); c++) {
            double[] anchorScores = anchorStatistics.subsetScores(candidates.get(c));
            features[c] = anchorStatistics.features(candidates.get(c), anchorScores,
                    spearman(anchorScores, anchorStatistics.fullScores(), IntStream.range(0, anchors.length)
                            .toArray()));
            observed[c] = spearman(statistics.subsetScores(candidates.get(c)), fullScores, reference);
        }
        // the predictor learns on half of the candidates and chooses among the other half, which it has not seen:
        // its error there is its out-of-sample error, reported; the winner is never picked by its observed value
        int[] learn = IntStream.range(0, candidates.size()).filter(c -> c % 2 == 0).toArray();
        int[] choose = IntStream.range(0, candidates.size()).filter(c -> c % 2 == 1).toArray();
        double[] beta = fitPredictor(pick(features, learn), Arrays.stream(learn).mapToDouble(c -> observed[c])
                .toArray());
        double[] predicted = new double[candidates.size()];
        for (int c = 0; c < candidates.size(); c++) {
            predicted[c] = predict(beta, features[c]);
        }
        int winner = choose[0];
        double outOfSampleError = 0;
        for (int c : choose) {
            outOfSampleError += Math.abs(predicted[c] - observed[c]) / choose.length;
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
        parameters.put("predictorOutOfSampleMae", String.format("%.4f", outOfSampleError));
        List<String> notes = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            notes.add(String.format("%s%s [%s]: anchor rho %.4f, predicted %.4f, reference rho %.4f",
                    candidates.get(c).method(), describe(candidates.get(c).parameters()), c % 2 == 0 ? "learn"
                            : "choose", features[c][0], predicted[c], observed[c]));
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

    /**
     * Least squares of the observed correlation on the features (intercept first); a rank-deficient design falls back
     * to the anchor correlation alone (the first feature) with slope 1.
     */
    private static double[] fitPredictor(double[][] features, double[] observed) {
        try {
            OLSMultipleLinearRegression regression = new OLSMultipleLinearRegression();
            regression.newSampleData(observed, features);
            return regression.estimateRegressionParameters();
        } catch (org.hipparchus.exception.MathRuntimeException e) {
            double[] beta = new double[features.length == 0 ? 2 : features[0].length + 1];
            beta[1] = 1;
            return beta;
        }
    }

    private static double predict(double[] beta, double[] features) {
        double value = beta[0];
        for (int f = 0; f < features.length; f++) {
            value += beta[f + 1] * features[f];
        }
        return value;
    }

    private static double[][] pick(double[][] rows, int[] which) {
        return Arrays.stream(which).mapToObj(c -> rows[c]).toArray(double[][]::new);
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
