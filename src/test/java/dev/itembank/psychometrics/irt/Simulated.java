package dev.itembank.psychometrics.irt;

import java.util.SplittableRandom;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/** Responses drawn from known item parameters, for parameter-recovery tests and benchmarks. */
record Simulated(ItemBank truth, double[] theta, ResponseMatrix responses) {

    /** Unidimensional items: a ~ U(0.5, 2.5), b ~ U(-1.5, 1.5) (d = -a b), g and u as the model has them. */
    static Simulated unidimensional(ItemModel model, int models, int items, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] slope = new double[items];
        double[] intercept = new double[items];
        double[] guessing = new double[items];
        double[] upper = new double[items];
        double sharedSlope = 0.6 + 1.6 * random.nextDouble();
        for (int j = 0; j < items; j++) {
            slope[j] = model == ItemModel.ONE_PL ? sharedSlope : 0.5 + 2.0 * random.nextDouble();
            double difficulty = -1.5 + 3.0 * random.nextDouble();
            intercept[j] = -slope[j] * difficulty;
            guessing[j] = model.hasGuessing() ? 0.05 + 0.25 * random.nextDouble() : 0.0;
            upper[j] = model.hasUpperAsymptote() ? 0.85 + 0.15 * random.nextDouble() : 1.0;
        }
        UnidimensionalItems truth = new UnidimensionalItems(model, slope, intercept, guessing, upper);
        double[] theta = new double[models];
        ResponseMatrix.Builder builder = ResponseMatrix.binary(models, items);
        for (int m = 0; m < models; m++) {
            theta[m] = gaussian(random);
            for (int j = 0; j < items; j++) {
                builder.set(m, j, random.nextDouble() < truth.probability(j, theta[m]) ? 1 : 0);
            }
        }
        return new Simulated(truth, theta, builder.build());
    }

    /** Multidimensional 2PL: a_jk ~ N(0.8, 0.5^2) with a simple-structure boost, d ~ N(0, 1), theta ~ N(0, I). */
    static Simulated multidimensional(int models, int items, int dims, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] slopes = new double[items * dims];
        double[] intercepts = new double[items];
        for (int j = 0; j < items; j++) {
            for (int k = 0; k < dims; k++) {
                slopes[j * dims + k] = 0.3 * gaussian(random) + (j % dims == k ? 1.5 : 0.2);
            }
            intercepts[j] = gaussian(random);
        }
        MultidimensionalItems truth = new MultidimensionalItems(slopes, intercepts, dims);
        double[] theta = new double[models * dims];
        ResponseMatrix.Builder builder = ResponseMatrix.binary(models, items);
        double[] point = new double[dims];
        for (int m = 0; m < models; m++) {
            for (int k = 0; k < dims; k++) {
                point[k] = gaussian(random);
                theta[m * dims + k] = point[k];
            }
            for (int j = 0; j < items; j++) {
                builder.set(m, j, random.nextDouble() < truth.probability(j, point) ? 1 : 0);
            }
        }
        return new Simulated(truth, theta, builder.build());
    }

    static double gaussian(SplittableRandom random) {
        return Simulation.gaussian(random);
    }
}
