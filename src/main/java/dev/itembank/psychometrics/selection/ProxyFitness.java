package dev.itembank.psychometrics.selection;

/**
 * The proxy regressor of the genetic search and its cross-validated error: a scenario's full score predicted
 * from a subset as a + b * (the model's mean over the subset), least squares, k folds over the training models.
 */
final class ProxyFitness {

    static final int FOLDS = 5;

    /** Scores, models x pool items, row-major; NaN where missing. */
    private final float[] scores;
    private final int models;
    private final int poolSize;
    private final double[] target;
    private final int[] fold;

    ProxyFitness(float[] scores, int models, int poolSize, double[] target, int[] fold) {
        this.scores = scores;
        this.models = models;
        this.poolSize = poolSize;
        this.target = target;
        this.fold = fold;
    }

    /** Root mean squared error of the held-out predictions over all folds. */
    double error(int[] subset) {
        double[] means = means(subset);
        double squared = 0;
        for (int f = 0; f < FOLDS; f++) {
            double[] line = fit(means, f);
            for (int l = 0; l < models; l++) {
                if (fold[l] == f) {
                    double e = line[0] + line[1] * means[l] - target[l];
                    squared += e * e;
                }
            }
        }
        return Math.sqrt(squared / models);
    }

    /** (a, b) fitted on all models. */
    double[] line(int[] subset) {
        return fit(means(subset), -1);
    }

    double[] means(int[] subset) {
        double[] means = new double[models];
        for (int l = 0; l < models; l++) {
            double sum = 0;
            int count = 0;
            int base = l * poolSize;
            for (int k : subset) {
                float y = scores[base + k];
                if (!Float.isNaN(y)) {
                    sum += y;
                    count++;
                }
            }
            means[l] = count == 0 ? 0 : sum / count;
        }
        return means;
    }

    // least squares of target on (1, mean) over the models outside fold f (all models when f < 0)
    private double[] fit(double[] means, int f) {
        return dev.itembank.psychometrics.matrix.LeastSquares.line(means, target, l -> fold[l] != f);
    }


}
