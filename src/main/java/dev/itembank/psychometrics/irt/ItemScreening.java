package dev.itembank.psychometrics.irt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * metabench's preprocessing: drop the models whose total score is at or below the 0.1% quantile of total
 * scores, then, on the remaining models, drop items with sd <= 0.01, more than 95% correct, or
 * |point-biserial correlation with the total score| < 0.05. Scores are means over answered items, so missing
 * cells neither count for nor against a model.
 *
 * @see <a href="https://arxiv.org/abs/2407.12844">Kipnis et al. (2025), metabench</a>
 */
public final class ItemScreening {

    /** The defaults of metabench's analysis/preprocess.R. */
    public static final double MODEL_QUANTILE = 0.001;
    public static final double MIN_SD = 0.01;
    public static final double MAX_PROPORTION_CORRECT = 0.95;
    public static final double MIN_POINT_BISERIAL = 0.05;

    private ItemScreening() {
    }

    /** Something dropped, by its index in the input matrix, and why. */
    public record Dropped(int index, String reason) {
    }

    /**
     * @param models indices of the kept models, ascending
     * @param items indices of the kept items, ascending
     * @param droppedModels the models dropped and why
     * @param droppedItems the items dropped and why
     */
    public record Result(int[] models, int[] items, List<Dropped> droppedModels, List<Dropped> droppedItems) {
    }

    public static Result compute(ResponseMatrix matrix) {
        int m = matrix.models();
        int n = matrix.items();
        double[] totals = new double[m];
        for (int l = 0; l < m; l++) {
            totals[l] = matrix.rowMean(l);
        }
        double cut = quantile(totals, MODEL_QUANTILE);
        List<Integer> keptModels = new ArrayList<>();
        List<Dropped> droppedModels = new ArrayList<>();
        for (int l = 0; l < m; l++) {
            if (Double.isNaN(totals[l]) || totals[l] <= cut) {
                droppedModels.add(new Dropped(l, String.format("total score %.4f at or below the 0.1%% quantile %.4f",
                        totals[l], cut)));
            } else {
                keptModels.add(l);
            }
        }
        int[] models = keptModels.stream().mapToInt(Integer::intValue).toArray();
        List<Integer> keptItems = new ArrayList<>();
        List<Dropped> droppedItems = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            String reason = itemReason(matrix, models, totals, j);
            if (reason == null) {
                keptItems.add(j);
            } else {
                droppedItems.add(new Dropped(j, reason));
            }
        }
        return new Result(models, keptItems.stream().mapToInt(Integer::intValue).toArray(), droppedModels,
                droppedItems);
    }

    /** Why item j goes, or null when it stays. */
    private static String itemReason(ResponseMatrix matrix, int[] models, double[] totals, int j) {
        int count = 0;
        double sum = 0;
        double squares = 0;
        double totalSum = 0;
        double totalSquares = 0;
        double crossSum = 0;
        for (int l : models) {
            double y = matrix.get(l, j);
            if (Double.isNaN(y)) {
                continue;
            }
            count++;
            sum += y;
            squares += y * y;
            totalSum += totals[l];
            totalSquares += totals[l] * totals[l];
            crossSum += y * totals[l];
        }
        if (count < 2) {
            return "answered by fewer than 2 models";
        }
        double mean = sum / count;
        double sd = Math.sqrt(Math.max(0, (squares - count * mean * mean) / (count - 1)));
        if (sd <= MIN_SD) {
            return String.format("sd %.4f <= %.2f", sd, MIN_SD);
        }
        if (mean > MAX_PROPORTION_CORRECT) {
            return String.format("%.1f%% correct > %.0f%%", 100 * mean, 100 * MAX_PROPORTION_CORRECT);
        }
        // point-biserial = Pearson correlation of the item's scores with the total scores
        double totalMean = totalSum / count;
        double covariance = crossSum / count - mean * totalMean;
        double totalVariance = totalSquares / count - totalMean * totalMean;
        double itemVariance = squares / count - mean * mean;
        double correlation = covariance / Math.sqrt(totalVariance * itemVariance);
        if (!(Math.abs(correlation) >= MIN_POINT_BISERIAL)) {
            return String.format("|point-biserial| %.4f < %.2f", Math.abs(correlation), MIN_POINT_BISERIAL);
        }
        return null;
    }

    /** R's default (type 7) quantile of the finite values. */
    static double quantile(double[] values, double probability) {
        double[] sorted = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * probability;
        int low = (int) Math.floor(h);
        int high = Math.min(sorted.length - 1, low + 1);
        return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
    }
}
