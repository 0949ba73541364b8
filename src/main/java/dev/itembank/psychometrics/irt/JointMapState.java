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
    private final double[] itemHessians;
    private final double[] abilityHessians;

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
            }
        }
        // the transpose in 64 x 64 tiles, so that both sides stay in cache
        for (int l0 = 0; l0 < models; l0 += 64) {
            int l1 = Math.min(models, l0 + 64);
            for (int j0 = 0; j0 < items; j0 += 64) {
                int j1 = Math.min(items, j0 + 64);
                for (int j = j0; j < j1; j++) {
                    for (int l = l0; l < l1; l++) {
                        byItem[j * models + l] = byModel[l * items + j];
                    }
                }
            }
        }
        this.theta = new double[models * dims];
        this.slopes = new double[items * dims];
        this.intercepts = new double[items];
        this.itemHessians = new double[items * (dims + 1) * (dims + 1)];
        this.abilityHessians = new double[models * dims * dims];
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
        int modelChunks = Math.min(options.threads(), models);
        int[] modelBounds = EmCalibrator.chunkBounds(models, modelChunks);
        int itemChunks = Math.min(options.threads(), items);
        int[] itemBounds = EmCalibrator.chunkBounds(items, itemChunks);
        for (int round = 0; round < 4; round++) {
            // theta = X_c V, orthonormalised; V = X_c' theta (rows split across the threads)
            java.util.Arrays.fill(theta, 0);
            EmCalibrator.parallel(pool, modelChunks, c -> {
                for (int l = modelBounds[c]; l < modelBounds[c + 1]; l++) {
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
            });
            orthonormalise(theta, models);
            java.util.Arrays.fill(basis, 0);
            EmCalibrator.parallel(pool, itemChunks, c -> {
                for (int j = itemBounds[c]; j < itemBounds[c + 1]; j++) {
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
            });
            orthonormalise(basis, items);
        }
        double scale = Math.sqrt(models);
        for (int k = 0; k < theta.length; k++) {
            theta[k] *= scale;
        }
        itemStep(pool, true);
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

    // ------------------------------------------------------------------------------ parameter expansion

    /**
     * Moves along the directions in which the likelihood is flat, to where the priors are highest, in closed form
     * (as parameter-expanded EM does): a shift theta -> theta + c with d_j -> d_j - a_j . c, then a scale
     * theta_k -> s_k theta_k with a_jk -> a_jk / s_k per dimension. Both leave every a_j . theta_l + d_j, and so the
     * likelihood, unchanged, and both raise the log-posterior, which alternating Newton steps otherwise climb only
     * slowly along these ridges.
     */
    void rebalance() {
        double interceptPrecision = 1 / (options.interceptSd() * options.interceptSd());
        double slopePrecision = 1 / (options.slopeSd() * options.slopeSd());
        // shift: maximise -1/2 sum_l |theta_l + c|^2 - 1/2 precision_d sum_j (d_j - a_j . c)^2
        // => (L I + precision_d sum_j a_j a_j') c = -sum_l theta_l + precision_d sum_j a_j d_j
        double[] system = new double[dims * dims];
        double[] rhs = new double[dims];
        for (int k = 0; k < dims; k++) {
            system[k * dims + k] += models;
        }
        for (int l = 0; l < models; l++) {
            for (int k = 0; k < dims; k++) {
                rhs[k] -= theta[l * dims + k];
            }
        }
        for (int j = 0; j < items; j++) {
            int base = j * dims;
            for (int r = 0; r < dims; r++) {
                rhs[r] += interceptPrecision * slopes[base + r] * intercepts[j];
                for (int c = 0; c < dims; c++) {
                    system[r * dims + c] += interceptPrecision * slopes[base + r] * slopes[base + c];
                }
            }
        }
        double[] shift = newton(rhs, system, dims);
        if (shift != null) {
            for (int l = 0; l < models; l++) {
                for (int k = 0; k < dims; k++) {
                    theta[l * dims + k] += shift[k];
                }
            }
            for (int j = 0; j < items; j++) {
                for (int k = 0; k < dims; k++) {
                    intercepts[j] -= slopes[j * dims + k] * shift[k];
                }
            }
        }
        // scale: maximise -1/2 s^2 sum_l theta_lk^2 - 1/2 precision_a s^-2 sum_j a_jk^2
        // => s^4 = precision_a sum_j a_jk^2 / sum_l theta_lk^2
        for (int k = 0; k < dims; k++) {
            double abilities = 0;
            double discriminations = 0;
            for (int l = 0; l < models; l++) {
                abilities += theta[l * dims + k] * theta[l * dims + k];
            }
            for (int j = 0; j < items; j++) {
                discriminations += slopes[j * dims + k] * slopes[j * dims + k];
            }
            if (abilities <= 0 || discriminations <= 0) {
                continue;
            }
            double scale = Math.pow(slopePrecision * discriminations / abilities, 0.25);
            for (int l = 0; l < models; l++) {
                theta[l * dims + k] *= scale;
            }
            for (int j = 0; j < items; j++) {
                slopes[j * dims + k] /= scale;
            }
        }
    }

    // ------------------------------------------------------------------------------------- Newton blocks

    /** A Newton decrement g' H^-1 g below this takes the full step unchecked: the quadratic model is reliable. */
    private static final double TRUSTED_DECREMENT = 2.0;

    /**
     * One Newton step on every item's (a_j, d_j) given the abilities. With {@code refresh} false the Hessians of
     * the last refresh are reused (they change slowly once the abilities settle); every step is checked against
     * the objective unless its Newton decrement is small.
     */
    void itemStep(ForkJoinPool pool, boolean refresh) {
        double slopePrecision = 1 / (options.slopeSd() * options.slopeSd());
        double interceptPrecision = 1 / (options.interceptSd() * options.interceptSd());
        double[] precision = new double[dims + 1];
        java.util.Arrays.fill(precision, 0, dims, slopePrecision);
        precision[dims] = interceptPrecision;
        blockStep(pool, items, dims + 1, byItem, models, theta, true, null, slopes, intercepts, precision,
                itemHessians, refresh, false);
    }

    /** One Newton step on every model's theta given the items; returns the log-posterior before the step. */
    double abilityStep(ForkJoinPool pool, boolean refresh) {
        double[] precision = new double[dims];
        java.util.Arrays.fill(precision, 1.0);
        return blockStep(pool, models, dims, byModel, items, slopes, false, intercepts, theta, null, precision,
                abilityHessians, refresh, true) + itemLogPrior();
    }

    private double itemLogPrior() {
        double slopePrecision = 1 / (options.slopeSd() * options.slopeSd());
        double interceptPrecision = 1 / (options.interceptSd() * options.interceptSd());
        double value = 0;
        for (double a : slopes) {
            value -= 0.5 * a * a * slopePrecision;
        }
        for (double d : intercepts) {
            value -= 0.5 * d * d * interceptPrecision;
        }
        return value;
    }

    /**
     * Newton steps for units (items or models) whose cells are logistic in a linear predictor
     * z = offset_c + sum_k params_k other_ck (+ params_D when {@code appendOne}), with a N(0, 1/precision) prior on
     * the parameters. Parameters live in {@code values} (units x D) and, when {@code appendOne}, {@code lastValues}.
     * Returns the sum over units of the log-posterior before their step when {@code wantValue}.
     */
    private double blockStep(ForkJoinPool pool, int units, int n, float[] data, int cellsPerUnit, double[] other,
            boolean appendOne, double[] offsets, double[] values, double[] lastValues, double[] precision,
            double[] hessians, boolean refresh, boolean wantValue) {
        int chunks = Math.min(options.threads(), units);
        int[] bounds = EmCalibrator.chunkBounds(units, chunks);
        double[] partial = new double[chunks];
        EmCalibrator.parallel(pool, chunks, c -> {
            double[] params = new double[n];
            double[] trial = new double[n];
            double[] gradient = new double[n];
            double[] hessian = new double[n * n];
            Scratch scratch = new Scratch(cellsPerUnit);
            double sum = 0;
            for (int unit = bounds[c]; unit < bounds[c + 1]; unit++) {
                System.arraycopy(values, unit * dims, params, 0, dims);
                if (appendOne) {
                    params[dims] = lastValues[unit];
                }
                double current = pass(data, unit, cellsPerUnit, other, appendOne, offsets, params, gradient,
                        refresh ? hessian : null, scratch, wantValue) - prior(params, precision, gradient);
                sum += current;
                if (refresh) {
                    for (int k = 0; k < n; k++) {
                        hessian[k * n + k] += precision[k];
                    }
                    symmetrise(hessian, n);
                    System.arraycopy(hessian, 0, hessians, unit * n * n, n * n);
                } else {
                    System.arraycopy(hessians, unit * n * n, hessian, 0, n * n);
                }
                double[] step = newton(gradient, hessian, n);
                if (step == null) {
                    continue;
                }
                double decrement = 0;
                for (int k = 0; k < n; k++) {
                    decrement += gradient[k] * step[k];
                }
                boolean accepted = false;
                if (decrement < TRUSTED_DECREMENT) {
                    for (int k = 0; k < n; k++) {
                        trial[k] = params[k] + step[k];
                    }
                    accepted = true;
                } else {
                    if (!wantValue) {
                        current = pass(data, unit, cellsPerUnit, other, appendOne, offsets, params, null, null,
                                scratch, true)
                                - prior(params, precision, null);
                    }
                    for (double scale = 1.0; scale > 1e-3 && !accepted; scale /= 2) {
                        for (int k = 0; k < n; k++) {
                            trial[k] = params[k] + scale * step[k];
                        }
                        accepted = pass(data, unit, cellsPerUnit, other, appendOne, offsets, trial, null, null,
                                scratch, true)
                                - prior(trial, precision, null) >= current;
                    }
                }
                if (accepted) {
                    System.arraycopy(trial, 0, values, unit * dims, dims);
                    if (appendOne) {
                        lastValues[unit] = trial[dims];
                    }
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

    /**
     * sum over the unit's observed cells of y z - softplus(z) (the Bernoulli log-likelihood), with its gradient and,
     * when {@code hessian} is given, the negative Hessian sum P (1 - P) v v' (lower triangle).
     */
    private double pass(float[] data, int unit, int cellsPerUnit, double[] other, boolean appendOne,
            double[] offsets, double[] params, double[] gradient, double[] hessian, Scratch scratch,
            boolean wantValue) {
        int n = appendOne ? dims + 1 : dims;
        if (gradient != null) {
            java.util.Arrays.fill(gradient, 0);
        }
        if (hessian != null) {
            java.util.Arrays.fill(hessian, 0);
        }
        double[] z = scratch.z;
        double[] residuals = scratch.residuals;
        double[] weights = scratch.weights;
        linearPredictors(cellsPerUnit, other, appendOne, offsets, params, z);
        double value = 0;
        int from = unit * cellsPerUnit;
        for (int cell = 0; cell < cellsPerUnit; cell++) {
            float y = data[from + cell];
            if (Float.isNaN(y)) {
                residuals[cell] = 0;
                weights[cell] = 0;
                continue;
            }
            double zc = z[cell];
            // softplus(z) = max(z, 0) + log(1 + e), P = 1 / (1 + e) or e / (1 + e), e = exp(-|z|);
            // log(1 + e) rather than log1p(e): the JIT compiles Math.log to one instruction sequence, and for e this
            // small the difference is below 1e-16
            double e = Math.exp(-Math.abs(zc));
            if (wantValue) {
                value += y * zc - Math.max(zc, 0) - Math.log(1 + e);
            }
            double p = zc >= 0 ? 1 / (1 + e) : e / (1 + e);
            residuals[cell] = y - p;
            weights[cell] = p * (1 - p);
        }
        if (gradient != null) {
            addWeightedSum(gradient, other, residuals, cellsPerUnit, appendOne);
        }
        if (hessian != null) {
            addOuterProducts(hessian, n, other, weights, cellsPerUnit, appendOne);
        }
        return value;
    }

    /** Per-thread work arrays of {@link #pass}, one entry per cell of a unit. */
    static final class Scratch {
        final double[] z;
        final double[] residuals;
        final double[] weights;

        Scratch(int cells) {
            z = new double[cells];
            residuals = new double[cells];
            weights = new double[cells];
        }
    }

    /**
     * z_c = offset_c + sum_k params_k v_ck (+ params_D), four cells at a time so that four independent sums are
     * in flight (one sum alone waits on each addition's latency).
     */
    private void linearPredictors(int cells, double[] other, boolean appendOne, double[] offsets, double[] params,
            double[] z) {
        double constant = appendOne ? params[dims] : 0;
        int cell = 0;
        for (; cell + 3 < cells; cell += 4) {
            int b0 = cell * dims;
            int b1 = b0 + dims;
            int b2 = b1 + dims;
            int b3 = b2 + dims;
            double z0 = constant;
            double z1 = constant;
            double z2 = constant;
            double z3 = constant;
            for (int k = 0; k < dims; k++) {
                double a = params[k];
                z0 += a * other[b0 + k];
                z1 += a * other[b1 + k];
                z2 += a * other[b2 + k];
                z3 += a * other[b3 + k];
            }
            z[cell] = z0;
            z[cell + 1] = z1;
            z[cell + 2] = z2;
            z[cell + 3] = z3;
        }
        for (; cell < cells; cell++) {
            int base = cell * dims;
            double sum = constant;
            for (int k = 0; k < dims; k++) {
                sum += params[k] * other[base + k];
            }
            z[cell] = sum;
        }
        if (offsets != null) {
            for (int c = 0; c < cells; c++) {
                z[c] += offsets[c];
            }
        }
    }

    /** gradient += sum_c r_c v_c (with a trailing sum_c r_c when {@code appendOne}), four cells at a time. */
    private void addWeightedSum(double[] gradient, double[] other, double[] residuals, int cells, boolean appendOne) {
        int cell = 0;
        double total = 0;
        for (; cell + 3 < cells; cell += 4) {
            double r0 = residuals[cell];
            double r1 = residuals[cell + 1];
            double r2 = residuals[cell + 2];
            double r3 = residuals[cell + 3];
            int b0 = cell * dims;
            int b1 = b0 + dims;
            int b2 = b1 + dims;
            int b3 = b2 + dims;
            for (int k = 0; k < dims; k++) {
                gradient[k] += r0 * other[b0 + k] + r1 * other[b1 + k] + r2 * other[b2 + k] + r3 * other[b3 + k];
            }
            total += r0 + r1 + r2 + r3;
        }
        for (; cell < cells; cell++) {
            double r = residuals[cell];
            int base = cell * dims;
            for (int k = 0; k < dims; k++) {
                gradient[k] += r * other[base + k];
            }
            total += r;
        }
        if (appendOne) {
            gradient[dims] += total;
        }
    }

    /**
     * hessian += sum_c w_c v_c v_c' (lower triangle; with {@code appendOne} v_c carries a trailing 1), four cells
     * at a time: each Hessian entry is loaded and stored once per four cells instead of once per cell, which is
     * what bounds this loop. Cells with weight 0 (unobserved) add nothing.
     */
    private void addOuterProducts(double[] hessian, int n, double[] other, double[] weights, int cells,
            boolean appendOne) {
        int cell = 0;
        int last = dims * n;
        for (; cell + 3 < cells; cell += 4) {
            double w0 = weights[cell];
            double w1 = weights[cell + 1];
            double w2 = weights[cell + 2];
            double w3 = weights[cell + 3];
            int b0 = cell * dims;
            int b1 = b0 + dims;
            int b2 = b1 + dims;
            int b3 = b2 + dims;
            for (int r = 0; r < dims; r++) {
                double u0 = w0 * other[b0 + r];
                double u1 = w1 * other[b1 + r];
                double u2 = w2 * other[b2 + r];
                double u3 = w3 * other[b3 + r];
                int row = r * n;
                for (int c = 0; c <= r; c++) {
                    hessian[row + c] += u0 * other[b0 + c] + u1 * other[b1 + c] + u2 * other[b2 + c]
                            + u3 * other[b3 + c];
                }
                if (appendOne) {
                    hessian[last + r] += u0 + u1 + u2 + u3;
                }
            }
            if (appendOne) {
                hessian[last + dims] += w0 + w1 + w2 + w3;
            }
        }
        for (; cell < cells; cell++) {
            double w = weights[cell];
            int base = cell * dims;
            for (int r = 0; r < dims; r++) {
                double u = w * other[base + r];
                int row = r * n;
                for (int c = 0; c <= r; c++) {
                    hessian[row + c] += u * other[base + c];
                }
                if (appendOne) {
                    hessian[last + r] += u;
                }
            }
            if (appendOne) {
                hessian[last + dims] += w;
            }
        }
    }

    /** The log-prior -sum precision_k x_k^2 / 2, subtracting its gradient from {@code gradient} when given. */
    private static double prior(double[] params, double[] precision, double[] gradient) {
        double value = 0;
        for (int k = 0; k < params.length; k++) {
            value += 0.5 * precision[k] * params[k] * params[k];
            if (gradient != null) {
                gradient[k] -= precision[k] * params[k];
            }
        }
        return value;
    }

    // sum_j [y z - softplus(z)] - |theta|^2 / 2, z = a_j . theta + d_j, with gradient and Hessian of the negative
    private double abilityObjective(int l, double[] point, double[] gradient, double[] hessian) {
        double[] precision = new double[dims];
        java.util.Arrays.fill(precision, 1.0);
        double value = pass(byModel, l, items, slopes, false, intercepts, point, gradient, hessian,
                new Scratch(items), true)
                - prior(point, precision, gradient);
        if (hessian != null) {
            for (int k = 0; k < dims; k++) {
                hessian[k * dims + k] += 1.0;
            }
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
