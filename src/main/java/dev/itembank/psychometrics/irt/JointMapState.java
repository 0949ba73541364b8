package dev.itembank.psychometrics.irt;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/** Abilities and item parameters of a joint MAP fit in progress, with the data laid out both ways. */
final class JointMapState {

    private final int models;
    private final int items;
    private final int dims;
    private final JointMapCalibrator.Options options;
    /** Scores, models x items, NaN where missing. */
    private final float[] byModel;
    /** The same, items x models. */
    private final float[] byItem;
    final double[] theta;
    final double[] slopes;
    final double[] intercepts;

    JointMapState(ResponseMatrix matrix, JointMapCalibrator.Options options) {
        this.models = matrix.models();
        this.items = matrix.items();
        this.dims = options.dimensions();
        this.options = options;
        long cells = (long) models * items;
        if (cells > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("joint MAP holds the matrix twice as floats; " + models + " x " + items
                    + " is too large");
        }
        this.byModel = new float[(int) cells];
        this.byItem = new float[(int) cells];
        double[] row = new double[items];
        for (int l = 0; l < models; l++) {
            matrix.row(l, row);
            for (int j = 0; j < items; j++) {
                byModel[l * items + j] = (float) row[j];
                byItem[j * models + l] = (float) row[j];
            }
        }
        this.theta = new double[models * dims];
        this.slopes = new double[items * dims];
        this.intercepts = new double[items];
    }

    MultidimensionalItems items() {
        return new MultidimensionalItems(slopes.clone(), intercepts.clone(), dims);
    }

    /**
     * Start values: abilities from the leading principal directions of the centred matrix (a few rounds of
     * power iteration from a seeded random start), scaled to unit variance; then one item step.
     */
    void initialise(SplittableRandom random, ForkJoinPool pool) {
        double[] means = new double[items];
        for (int j = 0; j < items; j++) {
            double sum = 0;
            int count = 0;
            for (int l = 0; l < models; l++) {
                float y = byItem[j * models + l];
                if (!Float.isNaN(y)) {
                    sum += y;
                    count++;
                }
            }
            means[j] = count == 0 ? 0.5 : sum / count;
            intercepts[j] = Logistic.logit(Math.min(0.98, Math.max(0.02, means[j])));
        }
        double[] basis = new double[items * dims];
        for (int k = 0; k < basis.length; k++) {
            basis[k] = Simulation.gaussian(random);
        }
        for (int round = 0; round < 4; round++) {
            // theta = X_c V, orthonormalised; V = X_c' theta
            java.util.Arrays.fill(theta, 0);
            for (int l = 0; l < models; l++) {
                for (int j = 0; j < items; j++) {
                    float y = byModel[l * items + j];
                    double centred = Float.isNaN(y) ? 0 : y - means[j];
                    if (centred != 0) {
                        for (int k = 0; k < dims; k++) {
                            theta[l * dims + k] += centred * basis[j * dims + k];
                        }
                    }
                }
            }
            orthonormalise(theta, models);
            java.util.Arrays.fill(basis, 0);
            for (int j = 0; j < items; j++) {
                for (int l = 0; l < models; l++) {
                    float y = byItem[j * models + l];
                    double centred = Float.isNaN(y) ? 0 : y - means[j];
                    if (centred != 0) {
                        for (int k = 0; k < dims; k++) {
                            basis[j * dims + k] += centred * theta[l * dims + k];
                        }
                    }
                }
            }
            orthonormalise(basis, items);
        }
        double scale = Math.sqrt(models);
        for (int k = 0; k < theta.length; k++) {
            theta[k] *= scale;
        }
        itemStep(pool);
    }

    /** Gram-Schmidt on the D columns of a rows x D matrix; a degenerate column is left at zero. */
    private void orthonormalise(double[] matrix, int rows) {
        for (int k = 0; k < dims; k++) {
            for (int previous = 0; previous < k; previous++) {
                double dot = 0;
                for (int r = 0; r < rows; r++) {
                    dot += matrix[r * dims + k] * matrix[r * dims + previous];
                }
                for (int r = 0; r < rows; r++) {
                    matrix[r * dims + k] -= dot * matrix[r * dims + previous];
                }
            }
            double norm = 0;
            for (int r = 0; r < rows; r++) {
                norm += matrix[r * dims + k] * matrix[r * dims + k];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < rows; r++) {
                matrix[r * dims + k] = norm > 1e-12 ? matrix[r * dims + k] / norm : 0;
            }
        }
    }

    // ------------------------------------------------------------------------------------------- item step

    /** One safeguarded Newton step on every item's (a_j, d_j) given the abilities. */
    void itemStep(ForkJoinPool pool) {
        int chunks = Math.min(options.threads(), items);
        int[] bounds = EmCalibrator.chunkBounds(items, chunks);
        double slopePrecision = 1 / (options.slopeSd() * options.slopeSd());
        double interceptPrecision = 1 / (options.interceptSd() * options.interceptSd());
        EmCalibrator.parallel(pool, chunks, c -> {
            int n = dims + 1;
            double[] gradient = new double[n];
            double[] hessian = new double[n * n];
            double[] params = new double[n];
            double[] trial = new double[n];
            for (int j = bounds[c]; j < bounds[c + 1]; j++) {
                System.arraycopy(slopes, j * dims, params, 0, dims);
                params[dims] = intercepts[j];
                // g = sum (y - P) [theta; 1] - prior; H = sum P (1 - P) [theta; 1][theta; 1]' + prior precision
                double current = itemObjective(j, params, gradient, hessian, slopePrecision, interceptPrecision);
                double[] step = newton(gradient, hessian, n);
                if (step == null) {
                    continue;
                }
                for (double scale = 1.0; scale > 1e-3; scale /= 2) {
                    for (int k = 0; k < n; k++) {
                        trial[k] = params[k] + scale * step[k];
                    }
                    if (itemObjective(j, trial, null, null, slopePrecision, interceptPrecision) >= current) {
                        System.arraycopy(trial, 0, slopes, j * dims, dims);
                        intercepts[j] = trial[dims];
                        break;
                    }
                }
            }
        });
    }

    private double itemObjective(int j, double[] params, double[] gradient, double[] hessian, double slopePrecision,
            double interceptPrecision) {
        int n = dims + 1;
        if (gradient != null) {
            java.util.Arrays.fill(gradient, 0);
            java.util.Arrays.fill(hessian, 0);
        }
        double value = 0;
        int from = j * models;
        for (int l = 0; l < models; l++) {
            float y = byItem[from + l];
            if (Float.isNaN(y)) {
                continue;
            }
            int base = l * dims;
            double z = params[dims];
            for (int k = 0; k < dims; k++) {
                z += params[k] * theta[base + k];
            }
            value += y * z - EmState.softplus(z);
            if (gradient != null) {
                double p = Logistic.sigmoid(z);
                double residual = y - p;
                double weight = p * (1 - p);
                for (int r = 0; r < dims; r++) {
                    double tr = theta[base + r];
                    gradient[r] += residual * tr;
                    double wt = weight * tr;
                    for (int c = 0; c <= r; c++) {
                        hessian[r * n + c] += wt * theta[base + c];
                    }
                    hessian[dims * n + r] += wt;
                }
                gradient[dims] += residual;
                hessian[dims * n + dims] += weight;
            }
        }
        for (int k = 0; k < dims; k++) {
            value -= 0.5 * params[k] * params[k] * slopePrecision;
        }
        value -= 0.5 * params[dims] * params[dims] * interceptPrecision;
        if (gradient != null) {
            for (int k = 0; k < dims; k++) {
                gradient[k] -= params[k] * slopePrecision;
                hessian[k * n + k] += slopePrecision;
            }
            gradient[dims] -= params[dims] * interceptPrecision;
            hessian[dims * n + dims] += interceptPrecision;
            symmetrise(hessian, n);
        }
        return value;
    }

    // ---------------------------------------------------------------------------------------- ability step

    /** One safeguarded Newton step on every model's theta given the items. */
    void abilityStep(ForkJoinPool pool) {
        int chunks = Math.min(options.threads(), models);
        int[] bounds = EmCalibrator.chunkBounds(models, chunks);
        EmCalibrator.parallel(pool, chunks, c -> {
            double[] gradient = new double[dims];
            double[] hessian = new double[dims * dims];
            double[] point = new double[dims];
            double[] trial = new double[dims];
            for (int l = bounds[c]; l < bounds[c + 1]; l++) {
                System.arraycopy(theta, l * dims, point, 0, dims);
                double current = abilityObjective(l, point, gradient, hessian);
                double[] step = newton(gradient, hessian, dims);
                if (step == null) {
                    continue;
                }
                for (double scale = 1.0; scale > 1e-3; scale /= 2) {
                    for (int k = 0; k < dims; k++) {
                        trial[k] = point[k] + scale * step[k];
                    }
                    if (abilityObjective(l, trial, null, null) >= current) {
                        System.arraycopy(trial, 0, theta, l * dims, dims);
                        break;
                    }
                }
            }
        });
    }

    // sum_j [y z - softplus(z)] - |theta|^2 / 2, z = a_j . theta + d_j
    private double abilityObjective(int l, double[] point, double[] gradient, double[] hessian) {
        if (gradient != null) {
            java.util.Arrays.fill(gradient, 0);
            java.util.Arrays.fill(hessian, 0);
        }
        double value = 0;
        int from = l * items;
        for (int j = 0; j < items; j++) {
            float y = byModel[from + j];
            if (Float.isNaN(y)) {
                continue;
            }
            int base = j * dims;
            double z = intercepts[j];
            for (int k = 0; k < dims; k++) {
                z += slopes[base + k] * point[k];
            }
            value += y * z - EmState.softplus(z);
            if (gradient != null) {
                double p = Logistic.sigmoid(z);
                double residual = y - p;
                double weight = p * (1 - p);
                for (int r = 0; r < dims; r++) {
                    double ar = slopes[base + r];
                    gradient[r] += residual * ar;
                    double wa = weight * ar;
                    for (int c = 0; c <= r; c++) {
                        hessian[r * dims + c] += wa * slopes[base + c];
                    }
                }
            }
        }
        for (int k = 0; k < dims; k++) {
            value -= 0.5 * point[k] * point[k];
            if (gradient != null) {
                gradient[k] -= point[k];
                hessian[k * dims + k] += 1.0;
            }
        }
        if (hessian != null) {
            symmetrise(hessian, dims);
        }
        return value;
    }

    /** Posterior SDs of the abilities from the inverse of each model's Hessian. */
    double[] abilityErrors(ForkJoinPool pool) {
        double[] errors = new double[models * dims];
        int chunks = Math.min(options.threads(), models);
        int[] bounds = EmCalibrator.chunkBounds(models, chunks);
        EmCalibrator.parallel(pool, chunks, c -> {
            double[] gradient = new double[dims];
            double[] hessian = new double[dims * dims];
            double[] point = new double[dims];
            for (int l = bounds[c]; l < bounds[c + 1]; l++) {
                System.arraycopy(theta, l * dims, point, 0, dims);
                abilityObjective(l, point, gradient, hessian);
                double[] diagonal = SmallMatrices.inverseDiagonal(hessian, dims);
                for (int k = 0; k < dims; k++) {
                    errors[l * dims + k] = Math.sqrt(diagonal[k]);
                }
            }
        });
        return errors;
    }

    /** The joint log-posterior: log-likelihood plus the log-priors of abilities and items. */
    double logPosterior(ForkJoinPool pool) {
        double value = logLikelihood(pool);
        double slopePrecision = 1 / (options.slopeSd() * options.slopeSd());
        double interceptPrecision = 1 / (options.interceptSd() * options.interceptSd());
        for (double t : theta) {
            value -= 0.5 * t * t;
        }
        for (double a : slopes) {
            value -= 0.5 * a * a * slopePrecision;
        }
        for (double d : intercepts) {
            value -= 0.5 * d * d * interceptPrecision;
        }
        return value;
    }

    /** sum over observed cells of y log P + (1 - y) log(1 - P) = y z - softplus(z). */
    double logLikelihood(ForkJoinPool pool) {
        int chunks = Math.min(options.threads(), models);
        int[] bounds = EmCalibrator.chunkBounds(models, chunks);
        double[] partial = new double[chunks];
        EmCalibrator.parallel(pool, chunks, c -> {
            double sum = 0;
            for (int l = bounds[c]; l < bounds[c + 1]; l++) {
                int base = l * dims;
                for (int j = 0; j < items; j++) {
                    float y = byModel[l * items + j];
                    if (Float.isNaN(y)) {
                        continue;
                    }
                    double z = intercepts[j];
                    for (int k = 0; k < dims; k++) {
                        z += slopes[j * dims + k] * theta[base + k];
                    }
                    sum += y * z - EmState.softplus(z);
                }
            }
            partial[c] = sum;
        });
        double total = 0;
        for (double value : partial) {
            total += value;
        }
        return total;
    }

    private static double[] newton(double[] gradient, double[] hessian, int n) {
        try {
            return SmallMatrices.solve(hessian, gradient, n);
        } catch (org.hipparchus.exception.MathRuntimeException e) {
            return null;
        }
    }

    private static void symmetrise(double[] matrix, int n) {
        for (int r = 0; r < n; r++) {
            for (int c = r + 1; c < n; c++) {
                matrix[r * n + c] = matrix[c * n + r];
            }
        }
    }
}
