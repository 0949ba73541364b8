package dev.itembank.psychometrics.evaluation;

import java.util.Arrays;

import org.hipparchus.stat.correlation.KendallsCorrelation;
import org.hipparchus.stat.correlation.SpearmansCorrelation;

/**
 * How well estimated scores match true ones over a set of models.
 *
 * @param models how many models were compared
 * @param mae mean absolute error
 * @param rmse root mean squared error
 * @param maxError largest absolute error
 * @param kendall Kendall's tau between the estimated and the true ranking
 * @param spearman Spearman's rho between them
 * @param rankWithin5 share of models whose rank moves by at most 5% of the field (EssenceBench's metric)
 * @param coverage share of true scores inside their intervals (NaN when no intervals were given)
 */
public record Metrics(int models, double mae, double rmse, double maxError, double kendall, double spearman,
        double rankWithin5, double coverage) {

    public static Metrics of(double[] estimates, double[] truths, double[] lower, double[] upper) {
        int n = estimates.length;
        double absolute = 0;
        double squared = 0;
        double max = 0;
        int covered = 0;
        for (int k = 0; k < n; k++) {
            double error = Math.abs(estimates[k] - truths[k]);
            absolute += error;
            squared += error * error;
            max = Math.max(max, error);
            if (lower != null && truths[k] >= lower[k] && truths[k] <= upper[k]) {
                covered++;
            }
        }
        double kendall = n < 2 ? Double.NaN : new KendallsCorrelation().correlation(estimates, truths);
        double spearman = n < 2 ? Double.NaN : new SpearmansCorrelation().correlation(estimates, truths);
        return new Metrics(n, absolute / n, Math.sqrt(squared / n), max, kendall, spearman,
                rankWithin(estimates, truths, 0.05), lower == null ? Double.NaN : (double) covered / n);
    }

    /** Share of models whose rank by estimate is within {@code share} x n places of their rank by truth. */
    static double rankWithin(double[] estimates, double[] truths, double share) {
        int n = estimates.length;
        int[] estimated = ranks(estimates);
        int[] actual = ranks(truths);
        double allowed = share * n;
        int within = 0;
        for (int k = 0; k < n; k++) {
            within += Math.abs(estimated[k] - actual[k]) <= allowed ? 1 : 0;
        }
        return (double) within / n;
    }

    private static int[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        int[] ranks = new int[values.length];
        for (int r = 0; r < order.length; r++) {
            ranks[order[r]] = r;
        }
        return ranks;
    }

    /** The mean of several runs' metrics (for random baselines over seeds). */
    public static Metrics mean(java.util.List<Metrics> runs) {
        return new Metrics(runs.get(0).models(),
                runs.stream().mapToDouble(Metrics::mae).average().orElse(Double.NaN),
                runs.stream().mapToDouble(Metrics::rmse).average().orElse(Double.NaN),
                runs.stream().mapToDouble(Metrics::maxError).average().orElse(Double.NaN),
                runs.stream().mapToDouble(Metrics::kendall).average().orElse(Double.NaN),
                runs.stream().mapToDouble(Metrics::spearman).average().orElse(Double.NaN),
                runs.stream().mapToDouble(Metrics::rankWithin5).average().orElse(Double.NaN),
                runs.stream().mapToDouble(Metrics::coverage).average().orElse(Double.NaN));
    }
}
