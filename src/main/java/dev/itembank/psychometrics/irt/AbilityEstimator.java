package dev.itembank.psychometrics.irt;

import java.util.Arrays;

import org.hipparchus.exception.MathRuntimeException;

/**
 * Estimates a model's ability from its responses to any subset of calibrated items. Responses are scores in
 * [0, 1] (fractional ones act as soft labels in the Bernoulli likelihood); NaN marks an item not answered.
 *
 * @see <a href="https://arxiv.org/abs/2402.14992">Maia Polo et al. (2024), tinyBenchmarks (MLE)</a>
 * @see <a href="https://doi.org/10.1177/014662168400800109">Lord and Wingersky (1984), EAPsum</a>
 */
public final class AbilityEstimator {

    /** The package's epsilon inside the logs of the MLE objective. */
    static final double LOG_EPSILON = 1e-10;
    private static final int QUADRATURE_1D = 121;
    private static final int QUADRATURE_2D = 41;
    private static final double QUADRATURE_LIMIT = 6.0;

    private AbilityEstimator() {
    }

    public static Ability estimate(ItemBank bank, int[] items, double[] responses, AbilityMethod method) {
        if (items.length != responses.length) {
            throw new IllegalArgumentException("items and responses differ in length: " + items.length + " vs "
                    + responses.length);
        }
        Answered answered = Answered.of(items, responses);
        return switch (method) {
            case MLE -> maximumLikelihood(bank, answered);
            case MAP -> maximumPosterior(bank, answered);
            case EAP -> expectedPosterior(bank, answered);
            case EAP_SUM -> expectedPosteriorGivenSum(bank, answered);
        };
    }

    /** The answered items and their scores, NaN responses dropped. */
    record Answered(int[] items, double[] scores) {
        static Answered of(int[] items, double[] responses) {
            int n = 0;
            int[] keptItems = new int[items.length];
            double[] keptScores = new double[items.length];
            for (int k = 0; k < items.length; k++) {
                if (!Double.isNaN(responses[k])) {
                    double y = responses[k];
                    if (y < 0 || y > 1) {
                        throw new IllegalArgumentException("response " + y + " to item " + items[k]
                                + " is outside [0, 1]");
                    }
                    keptItems[n] = items[k];
                    keptScores[n++] = y;
                }
            }
            return new Answered(Arrays.copyOf(keptItems, n), Arrays.copyOf(keptScores, n));
        }
    }

    // -- MLE: theta = argmin -sum [y log(P + eps) + (1 - y) log(1 - P + eps)] ------------------------------------

    /**
     * The package's objective, minimised by Fisher scoring (steps H^-1 g with H = sum dP dP' / (P (1 - P)), the
     * expected Hessian, which equals the observed one for the 2PL when eps is negligible) with a backtracking line
     * search: it reaches the minimum in a handful of steps where BFGS needs dozens of evaluations. The minimum is
     * the one scipy's BFGS approaches (the objective is convex in theta for 2PL items); where scoring cannot proceed
     * (a singular information matrix: fewer answered items than dimensions; no finite minimum, as with all answers
     * right) or the minimum is so flat that BFGS's stopping point is not the minimum (smallest eigenvalue of the
     * information below 0.1), BFGS from the origin decides, as in the package.
     */
    static Ability maximumLikelihood(ItemBank bank, Answered answered) {
        int dims = bank.dimensions();
        Ability scored = fisherScoring(bank, answered, dims);
        if (scored != null) {
            return scored;
        }
        Bfgs.Result result = Bfgs.minimize(new double[dims], (theta, gradient) ->
                negativeLogLikelihood(bank, answered, theta, gradient, null), 1e-5, 200 * dims);
        double[] information = bank.testInformation(answered.items, result.point());
        return new Ability(result.point(), standardErrors(information, dims, 0.0), AbilityMethod.MLE,
                result.iterations(), result.converged());
    }

    private static final int SCORING_STEPS = 50;
    /** scipy's default gtol for BFGS, on the largest gradient component. */
    private static final double GRADIENT_TOLERANCE = 1e-5;
    /** The smallest eigenvalue of the information above which scoring's minimum is BFGS's within 1e-4. */
    private static final double WELL_DETERMINED = 0.1;

    private static Ability fisherScoring(ItemBank bank, Answered answered, int dims) {
        double[] theta = new double[dims];
        double[] gradient = new double[dims];
        double[] information = new double[dims * dims];
        double value = negativeLogLikelihood(bank, answered, theta, gradient, information);
        double[] next = new double[dims];
        double[] nextGradient = new double[dims];
        double[] nextInformation = new double[dims * dims];
        for (int iteration = 1; iteration <= SCORING_STEPS; iteration++) {
            double[] step;
            try {
                step = SmallMatrices.solve(information, gradient, dims);
            } catch (MathRuntimeException e) {
                return null;
            }
            double slope = 0;
            for (int d = 0; d < dims; d++) {
                slope += gradient[d] * step[d];
            }
            double scale = 1;
            double nextValue;
            while (true) {
                for (int d = 0; d < dims; d++) {
                    next[d] = theta[d] - scale * step[d];
                }
                nextValue = negativeLogLikelihood(bank, answered, next, nextGradient, nextInformation);
                if (nextValue <= value - 1e-4 * scale * slope) {
                    break;
                }
                scale /= 2;
                if (scale < 1e-8) {
                    return null;
                }
            }
            double[] swap = theta;
            theta = next;
            next = swap;
            swap = gradient;
            gradient = nextGradient;
            nextGradient = swap;
            swap = information;
            information = nextInformation;
            nextInformation = swap;
            value = nextValue;
            double largest = 0;
            double farthest = 0;
            for (int d = 0; d < dims; d++) {
                largest = Math.max(largest, Math.abs(gradient[d]));
                farthest = Math.max(farthest, Math.abs(theta[d]));
            }
            if (farthest > 50) {
                return null; // running off to infinity: no finite minimum to score towards
            }
            if (largest < GRADIENT_TOLERANCE) {
                // BFGS stops within gtol / lambda_min of the minimum: where the objective is that flat (lambda_min
                // < 0.1, a shift above 1e-4), where it stops is the package's answer, so BFGS is run instead
                if (SmallMatrices.smallestEigenvalue(information, dims) < WELL_DETERMINED) {
                    return null;
                }
                // the scoring step's information at theta is the test information the standard errors need
                return new Ability(theta, standardErrors(information, dims, 0.0), AbilityMethod.MLE, iteration, true);
            }
        }
        return null;
    }

    /**
     * -sum [y log(P + eps) + (1 - y) log(1 - P + eps)] at theta, its gradient, and (when {@code information} is not
     * null) the Fisher information sum dP dP' / (P (1 - P)).
     */
    private static double negativeLogLikelihood(ItemBank bank, Answered answered, double[] theta,
            double[] gradient, double[] information) {
        int dims = theta.length;
        double[] dp = new double[dims];
        Arrays.fill(gradient, 0);
        if (information != null) {
            Arrays.fill(information, 0);
        }
        double nll = 0;
        for (int k = 0; k < answered.items.length; k++) {
            double y = answered.scores[k];
            double p = bank.probability(answered.items[k], theta, dp);
            // a term whose factor is 0 adds exactly 0 (its log is finite): binary answers need one log, not two
            nll -= (y == 0 ? 0 : y * Math.log(p + LOG_EPSILON))
                    + (y == 1 ? 0 : (1 - y) * Math.log(1 - p + LOG_EPSILON));
            double weight = -(y / (p + LOG_EPSILON) - (1 - y) / (1 - p + LOG_EPSILON));
            for (int d = 0; d < dims; d++) {
                gradient[d] += weight * dp[d];
            }
            if (information != null) {
                double inverseVariance = 1 / Math.max(p * (1 - p), 1e-300);
                for (int r = 0; r < dims; r++) {
                    double scaled = dp[r] * inverseVariance;
                    for (int c = 0; c <= r; c++) {
                        information[r * dims + c] += scaled * dp[c];
                    }
                }
            }
        }
        if (information != null) {
            for (int r = 0; r < dims; r++) {
                for (int c = r + 1; c < dims; c++) {
                    information[r * dims + c] = information[c * dims + r];
                }
            }
        }
        return nll;
    }

    // -- MAP: theta = argmax sum [y log P + (1 - y) log(1 - P)] - |theta|^2 / 2, Fisher scoring -----------------

    static Ability maximumPosterior(ItemBank bank, Answered answered) {
        int dims = bank.dimensions();
        double[] theta = new double[dims];
        double objective = logPosterior(bank, answered, theta);
        int iteration = 0;
        boolean converged = false;
        double[] dp = new double[dims];
        while (iteration < 100 && !converged) {
            iteration++;
            // score g = sum (y - P) / (P (1 - P)) dP - theta;  information H = sum dP dP' / (P (1 - P)) + I
            double[] score = new double[dims];
            double[] information = new double[dims * dims];
            for (int k = 0; k < answered.items.length; k++) {
                double p = clampProbability(bank.probability(answered.items[k], theta, dp));
                double variance = p * (1 - p);
                double weight = (answered.scores[k] - p) / variance;
                for (int r = 0; r < dims; r++) {
                    score[r] += weight * dp[r];
                    double scaled = dp[r] / variance;
                    for (int c = 0; c <= r; c++) {
                        information[r * dims + c] += scaled * dp[c];
                    }
                }
            }
            for (int r = 0; r < dims; r++) {
                for (int c = r + 1; c < dims; c++) {
                    information[r * dims + c] = information[c * dims + r];
                }
            }
            for (int d = 0; d < dims; d++) {
                score[d] -= theta[d];
                information[d * dims + d] += 1.0;
            }
            double[] step = SmallMatrices.solve(information, score, dims);
            double scale = 1.0;
            double[] next = new double[dims];
            double nextObjective;
            do {
                for (int d = 0; d < dims; d++) {
                    next[d] = theta[d] + scale * step[d];
                }
                nextObjective = logPosterior(bank, answered, next);
                scale /= 2;
            } while (nextObjective < objective - 1e-12 && scale > 1e-6);
            double change = 0;
            for (int d = 0; d < dims; d++) {
                change = Math.max(change, Math.abs(next[d] - theta[d]));
            }
            theta = next.clone();
            objective = nextObjective;
            converged = change < 1e-8;
        }
        double[] information = bank.testInformation(answered.items, theta);
        return new Ability(theta, standardErrors(information, dims, 1.0), AbilityMethod.MAP, iteration, converged);
    }

    static double logPosterior(ItemBank bank, Answered answered, double[] theta) {
        double value = 0;
        for (int k = 0; k < answered.items.length; k++) {
            double p = clampProbability(bank.probability(answered.items[k], theta));
            double y = answered.scores[k];
            value += y * Math.log(p) + (1 - y) * Math.log(1 - p);
        }
        for (double t : theta) {
            value -= t * t / 2;
        }
        return value;
    }

    // -- EAP: posterior mean and SD under N(0, I) ------------------------------------------------------------------

    static Ability expectedPosterior(ItemBank bank, Answered answered) {
        int dims = bank.dimensions();
        if (dims > 2) {
            // Laplace approximation: the posterior is taken as normal at the MAP with covariance (I(theta) + I)^-1
            Ability map = maximumPosterior(bank, answered);
            return new Ability(map.theta(), map.standardError(), AbilityMethod.EAP, map.iterations(), map.converged());
        }
        double[] grid = grid(dims == 1 ? QUADRATURE_1D : QUADRATURE_2D);
        int points = (int) Math.pow(grid.length, dims);
        double[] logWeights = new double[points];
        double[] theta = new double[dims];
        double max = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < points; q++) {
            point(grid, q, theta);
            logWeights[q] = logPosterior(bank, answered, theta);
            max = Math.max(max, logWeights[q]);
        }
        double total = 0;
        double[] mean = new double[dims];
        double[] square = new double[dims];
        for (int q = 0; q < points; q++) {
            double w = Math.exp(logWeights[q] - max);
            point(grid, q, theta);
            total += w;
            for (int d = 0; d < dims; d++) {
                mean[d] += w * theta[d];
                square[d] += w * theta[d] * theta[d];
            }
        }
        double[] sd = new double[dims];
        for (int d = 0; d < dims; d++) {
            mean[d] /= total;
            sd[d] = Math.sqrt(Math.max(0, square[d] / total - mean[d] * mean[d]));
        }
        return new Ability(mean, sd, AbilityMethod.EAP, 0, true);
    }

    // -- EAPsum: posterior given the sum score, by the Lord-Wingersky recursion ---------------------------------

    static Ability expectedPosteriorGivenSum(ItemBank bank, Answered answered) {
        if (bank.dimensions() != 1) {
            throw new IllegalArgumentException("EAPsum needs a unidimensional model, got D = " + bank.dimensions());
        }
        int sum = 0;
        for (int k = 0; k < answered.scores.length; k++) {
            double y = answered.scores[k];
            if (y != 0 && y != 1) {
                throw new IllegalArgumentException("EAPsum needs 0/1 responses, got " + y + " for item "
                        + answered.items[k]);
            }
            sum += (int) y;
        }
        double[] grid = grid(QUADRATURE_1D);
        double[] theta = new double[1];
        double[] distribution = new double[answered.items.length + 1];
        double total = 0;
        double mean = 0;
        double square = 0;
        for (double t : grid) {
            theta[0] = t;
            // f_0 = 1; after item j: f_s <- f_s (1 - P_j) + f_{s-1} P_j
            Arrays.fill(distribution, 0);
            distribution[0] = 1;
            for (int j = 0; j < answered.items.length; j++) {
                double p = bank.probability(answered.items[j], theta);
                for (int s = j + 1; s >= 1; s--) {
                    distribution[s] = distribution[s] * (1 - p) + distribution[s - 1] * p;
                }
                distribution[0] *= 1 - p;
            }
            double w = distribution[sum] * Math.exp(-t * t / 2);
            total += w;
            mean += w * t;
            square += w * t * t;
        }
        mean /= total;
        double sd = Math.sqrt(Math.max(0, square / total - mean * mean));
        return new Ability(new double[] {mean}, new double[] {sd}, AbilityMethod.EAP_SUM, 0, true);
    }

    /** Equally spaced quadrature points on [-6, 6]. */
    static double[] grid(int points) {
        double[] grid = new double[points];
        for (int q = 0; q < points; q++) {
            grid[q] = -QUADRATURE_LIMIT + 2 * QUADRATURE_LIMIT * q / (points - 1);
        }
        return grid;
    }

    private static void point(double[] grid, int index, double[] theta) {
        for (int d = 0; d < theta.length; d++) {
            theta[d] = grid[index % grid.length];
            index /= grid.length;
        }
    }

    static double clampProbability(double p) {
        return Math.min(1 - 1e-12, Math.max(1e-12, p));
    }

    /** sqrt of the diagonal of (information + prior I)^-1; infinite where the information is singular. */
    private static double[] standardErrors(double[] information, int dims, double priorPrecision) {
        double[] matrix = information.clone();
        for (int d = 0; d < dims; d++) {
            matrix[d * dims + d] += priorPrecision;
        }
        double[] se = new double[dims];
        try {
            double[] diagonal = SmallMatrices.inverseDiagonal(matrix, dims);
            for (int d = 0; d < dims; d++) {
                se[d] = Math.sqrt(diagonal[d]);
            }
        } catch (MathRuntimeException e) {
            Arrays.fill(se, Double.POSITIVE_INFINITY);
        }
        return se;
    }
}
