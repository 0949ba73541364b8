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
    /** Each model's (theta_l, 1) v v' in packed lower-triangular order, for the items' Hessians. */
    private final double[][] modelProducts;
    /** Each item's a_j a_j' packed the same way, for the abilities' Hessians. */
    private final double[][] itemProducts;

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
        this.modelProducts = new double[models][packedSize(dims + 1)];
        this.itemProducts = new double[items][packedSize(dims)];
    }

    /** Entries of an n x n lower triangle. */
    static int packedSize(int n) {
        return n * (n + 1) / 2;
    }

    /**
     * The lower triangle of v_c v_c' for every row c of a rows x D matrix, row by row (entry (r, s), s <= r, at
     * r (r + 1) / 2 + s); with {@code appendOne}, v_c carries a trailing 1. The Hessians then need only
     * sum_c w_c (v_c v_c'): one contiguous multiply-add per entry that the JIT vectorises.
     */
    private void packProducts(double[] other, int rows, boolean appendOne, double[][] target) {
        int n = appendOne ? dims + 1 : dims;
        int size = packedSize(n);
        for (int c = 0; c < rows; c++) {
            int base = c * dims;
            double[] row = target[c];
            int out = 0;
            for (int r = 0; r < n; r++) {
                double vr = r < dims ? other[base + r] : 1;
                for (int t = 0; t <= r; t++) {
                    row[out++] = vr * (t < dims ? other[base + t] : 1);
                }
            }
        }
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
            // theta = X_c V, orthonormalised; V = X_c' theta. Both products as multiply-adds of whole rows (row k of
            // the result's transpose += a scalar times a centred row of the data), rows that start at index 0 in
            // arrays of their own: the JIT vectorises such a loop only when it can see that the written and the
            // read element are the same index. Each thread owns a slice of the result.
            EmCalibrator.parallel(pool, modelChunks, c -> {
                int from = modelBounds[c];
                int length = modelBounds[c + 1] - from;
                double[] centred = new double[length];
                double[][] sums = new double[dims][length];
                for (int j = 0; j < items; j++) {
                    centre(byItem, j * models + from, means, j, 0, centred, length);
                    for (int k = 0; k < dims; k++) {
                        addScaled(basis[j * dims + k], centred, sums[k], length);
                    }
                }
                writeRows(sums, theta, from, length);
            });
            orthonormalise(theta, models);
            EmCalibrator.parallel(pool, itemChunks, c -> {
                // item tiles whose D rows of sums stay in cache while every model's row adds to them
                double[] centred = new double[POWER_TILE];
                double[][] sums = new double[dims][POWER_TILE];
                for (int t0 = itemBounds[c]; t0 < itemBounds[c + 1]; t0 += POWER_TILE) {
                    int length = Math.min(POWER_TILE, itemBounds[c + 1] - t0);
                    for (double[] row : sums) {
                        java.util.Arrays.fill(row, 0);
                    }
                    for (int l = 0; l < models; l++) {
                        centre(byModel, l * items + t0, means, t0, 1, centred, length);
                        for (int k = 0; k < dims; k++) {
                            addScaled(theta[l * dims + k], centred, sums[k], length);
                        }
                    }
                    writeRows(sums, basis, t0, length);
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

    /** Items per tile of the start values' second product: D rows of 2,048 doubles stay in the L2 cache. */
    private static final int POWER_TILE = 2048;

    /**
     * out[i] = data[from + i] - means[meanFrom + i * meanStep], 0 where missing: a row of the data centred by its
     * items' means (step 1) or a column by its item's mean (step 0).
     */
    private static void centre(float[] data, int from, double[] means, int meanFrom, int meanStep, double[] out,
            int length) {
        for (int i = 0; i < length; i++) {
            float y = data[from + i];
            out[i] = Float.isNaN(y) ? 0 : y - means[meanFrom + i * meanStep];
        }
    }

    /** target[i] += scale x[i] for i below length: one vectorised multiply-add per entry. */
    private static void addScaled(double scale, double[] x, double[] target, int length) {
        if (scale == 0) {
            return;
        }
        for (int i = 0; i < length; i++) {
            target[i] += scale * x[i];
        }
    }

    /**
     * Rows [from, from + length) of a rows x D matrix from its D columns' entries 0..length-1 (the inverse of the
     * transposition {@link #cells} makes).
     */
    private void writeRows(double[][] columns, double[] matrix, int from, int length) {
        for (int k = 0; k < dims; k++) {
            for (int i = 0; i < length; i++) {
                matrix[(from + i) * dims + k] = columns[k][i];
            }
        }
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
        if (refresh) {
            packProducts(theta, models, true, modelProducts);
        }
        blockStep(pool, items, dims + 1, byItem, models, cells(theta, models), modelProducts, true, null, slopes, intercepts,
                precision, itemHessians, refresh, false);
    }

    /** One Newton step on every model's theta given the items; returns the log-posterior before the step. */
    double abilityStep(ForkJoinPool pool, boolean refresh) {
        double[] precision = new double[dims];
        java.util.Arrays.fill(precision, 1.0);
        if (refresh) {
            packProducts(slopes, items, false, itemProducts);
        }
        return blockStep(pool, models, dims, byModel, items, cells(slopes, items), itemProducts, false, intercepts, theta, null,
                precision, abilityHessians, refresh, true) + itemLogPrior();
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

    /** Units whose Hessians are summed together, so that each tile of packed products is read once per group. */
    private static final int GROUP = 16;
    /** Cells per tile: a tile of packed products (at most 256 x 136 doubles) stays in the core's L2 cache. */
    private static final int TILE = 256;

    /**
     * Newton steps for units (items or models) whose cells are logistic in a linear predictor
     * z = offset_c + sum_k params_k other_ck (+ params_D when {@code appendOne}), with a N(0, 1/precision) prior on
     * the parameters. Parameters live in {@code values} (units x D) and, when {@code appendOne}, {@code lastValues}.
     * Units go in groups of {@link #GROUP}: gradients and cell weights first, then the group's Hessians (when
     * {@code refresh}) from the packed {@code products} tile by tile, then each unit's step.
     * Returns the sum over units of the log-posterior before their step when {@code wantValue}.
     */
    private double blockStep(ForkJoinPool pool, int units, int n, float[] data, int cellsPerUnit, Cells other,
            double[][] products, boolean appendOne, double[] offsets, double[] values, double[] lastValues,
            double[] precision, double[] hessians, boolean refresh, boolean wantValue) {
        int chunks = Math.min(options.threads(), units);
        int[] bounds = EmCalibrator.chunkBounds(units, chunks);
        double[] partial = new double[chunks];
        EmCalibrator.parallel(pool, chunks, c -> {
            double[][] params = new double[GROUP][n];
            double[][] gradients = new double[GROUP][n];
            double[] currents = new double[GROUP];
            double[] trial = new double[n];
            double[] hessian = new double[n * n];
            double[] groupHessians = refresh ? new double[GROUP * n * n] : null;
            Scratch scratch = new Scratch(cellsPerUnit, refresh ? GROUP : 1);
            double sum = 0;
            for (int first = bounds[c]; first < bounds[c + 1]; first += GROUP) {
                int count = Math.min(GROUP, bounds[c + 1] - first);
                for (int g = 0; g < count; g++) {
                    int unit = first + g;
                    System.arraycopy(values, unit * dims, params[g], 0, dims);
                    if (appendOne) {
                        params[g][dims] = lastValues[unit];
                    }
                    currents[g] = pass(data, unit, cellsPerUnit, other, appendOne, offsets, params[g], gradients[g],
                            refresh ? g : 0, scratch, wantValue) - prior(params[g], precision, gradients[g]);
                    sum += currents[g];
                }
                if (refresh) {
                    outerProducts(groupHessians, count, n, products, scratch.weights, cellsPerUnit, scratch);
                }
                for (int g = 0; g < count; g++) {
                    int unit = first + g;
                    if (refresh) {
                        System.arraycopy(groupHessians, g * n * n, hessian, 0, n * n);
                        for (int k = 0; k < n; k++) {
                            hessian[k * n + k] += precision[k];
                        }
                        symmetrise(hessian, n);
                        System.arraycopy(hessian, 0, hessians, unit * n * n, n * n);
                    } else {
                        System.arraycopy(hessians, unit * n * n, hessian, 0, n * n);
                    }
                    step(data, unit, cellsPerUnit, other, appendOne, offsets, values, lastValues, precision,
                            params[g], gradients[g], hessian, currents[g], wantValue, trial, scratch);
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

    /** One unit's Newton step, halved until the log-posterior does not fall unless its decrement is small. */
    private void step(float[] data, int unit, int cellsPerUnit, Cells other, boolean appendOne, double[] offsets,
            double[] values, double[] lastValues, double[] precision, double[] params, double[] gradient,
            double[] hessian, double current, boolean currentKnown, double[] trial, Scratch scratch) {
        int n = params.length;
        double[] step = newton(gradient, hessian, n);
        if (step == null) {
            return;
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
            double before = currentKnown ? current
                    : pass(data, unit, cellsPerUnit, other, appendOne, offsets, params, null, 0, scratch, true)
                            - prior(params, precision, null);
            for (double scale = 1.0; scale > 1e-3 && !accepted; scale /= 2) {
                for (int k = 0; k < n; k++) {
                    trial[k] = params[k] + scale * step[k];
                }
                accepted = pass(data, unit, cellsPerUnit, other, appendOne, offsets, trial, null, 0, scratch, true)
                        - prior(trial, precision, null) >= before;
            }
        }
        if (accepted) {
            System.arraycopy(trial, 0, values, unit * dims, dims);
            if (appendOne) {
                lastValues[unit] = trial[dims];
            }
        }
    }

    /**
     * sum over the unit's observed cells of y z - softplus(z) (the Bernoulli log-likelihood), with its gradient
     * when {@code gradient} is given; the cells' weights P (1 - P) go to row {@code weightRow} of the scratch's
     * weights, from which {@link #outerProducts} sums the negative Hessian.
     */
    private double pass(float[] data, int unit, int cellsPerUnit, Cells other, boolean appendOne,
            double[] offsets, double[] params, double[] gradient, int weightRow, Scratch scratch, boolean wantValue) {
        if (gradient != null) {
            java.util.Arrays.fill(gradient, 0);
        }
        double[] z = scratch.z;
        double[] residuals = scratch.residuals;
        double[] weights = scratch.weights;
        int weightBase = weightRow * cellsPerUnit;
        linearPredictors(cellsPerUnit, other.columns(), appendOne, offsets, params, z);
        double value = 0;
        int from = unit * cellsPerUnit;
        for (int cell = 0; cell < cellsPerUnit; cell++) {
            float y = data[from + cell];
            if (Float.isNaN(y)) {
                residuals[cell] = 0;
                weights[weightBase + cell] = 0;
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
            weights[weightBase + cell] = p * (1 - p);
        }
        if (gradient != null) {
            addWeightedSum(gradient, other.rows(), residuals, cellsPerUnit, appendOne);
        }
        return value;
    }

    /** Per-thread work arrays of {@link #pass}, one entry per cell of a unit. */
    static final class Scratch {
        final double[] z;
        final double[] residuals;
        final double[] weights;
        /** The packed Hessians being summed, one array per unit of a group (D + 1 <= 16 rows each). */
        final double[][] packed;

        Scratch(int cells, int units) {
            z = new double[cells];
            residuals = new double[cells];
            weights = new double[units * cells];
            packed = new double[units][packedSize(16)];
        }
    }

    /**
     * The other side of the cells (abilities for the items' steps, slopes for the abilities'), row by row (cells x D)
     * for the gradients' sums and column by column (D arrays of the cells) for the linear predictors.
     */
    record Cells(double[] rows, double[][] columns) {
    }

    private Cells cells(double[] rows, int count) {
        double[][] columns = new double[dims][count];
        for (int c = 0; c < count; c++) {
            for (int k = 0; k < dims; k++) {
                columns[k][c] = rows[c * dims + k];
            }
        }
        return new Cells(rows, columns);
    }

    /**
     * z_c = offset_c + sum_k params_k v_ck (+ params_D), one column of v at a time: each a multiply-add over the
     * cells that the JIT vectorises (see {@link #addScaled}).
     */
    private void linearPredictors(int cells, double[][] columns, boolean appendOne, double[] offsets,
            double[] params, double[] z) {
        if (offsets != null) {
            System.arraycopy(offsets, 0, z, 0, cells);
        } else {
            java.util.Arrays.fill(z, 0, cells, 0);
        }
        if (appendOne) {
            double constant = params[dims];
            for (int c = 0; c < cells; c++) {
                z[c] += constant;
            }
        }
        for (int k = 0; k < dims; k++) {
            addScaled(params[k], columns[k], z, cells);
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
     * For each of {@code count} units, its n x n matrix sum_c w_uc v_c v_c' (lower triangle, written to
     * {@code out} at u n^2), from the packed products of {@link #packProducts} and the units' weight rows. Tile by
     * tile of cells, every unit of the group adds the tile's products, which stay in cache meanwhile; per cell one
     * multiply-add over the packed entries, two cells at a time, between arrays that all start at the same index
     * (which the JIT vectorises, see {@link #addScaled}). Unobserved cells weigh 0.
     */
    private static void outerProducts(double[] out, int count, int n, double[][] products, double[] weights,
            int cells, Scratch scratch) {
        int size = packedSize(n);
        double[][] sums = scratch.packed;
        for (int u = 0; u < count; u++) {
            java.util.Arrays.fill(sums[u], 0, size, 0);
        }
        for (int t0 = 0; t0 < cells; t0 += TILE) {
            int t1 = Math.min(cells, t0 + TILE);
            for (int u = 0; u < count; u++) {
                double[] sum = sums[u];
                int w = u * cells;
                int cell = t0;
                for (; cell + 1 < t1; cell += 2) {
                    addScaled(weights[w + cell], products[cell], weights[w + cell + 1], products[cell + 1], sum,
                            size);
                }
                if (cell < t1) {
                    addScaled(weights[w + cell], products[cell], sum, size);
                }
            }
        }
        for (int u = 0; u < count; u++) {
            double[] sum = sums[u];
            int t = 0;
            int base = u * n * n;
            for (int r = 0; r < n; r++) {
                for (int c = 0; c <= r; c++) {
                    out[base + r * n + c] = sum[t++];
                }
            }
        }
    }

    /** target[i] += a x[i] + b y[i] for i below length (vectorised as {@link #addScaled} is). */
    private static void addScaled(double a, double[] x, double b, double[] y, double[] target, int length) {
        for (int i = 0; i < length; i++) {
            target[i] += a * x[i] + b * y[i];
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

    /**
     * Posterior SDs of the abilities, from the inverse of each model's Hessian of the log-posterior (the cells'
     * sum_j P (1 - P) a_j a_j' plus the prior's identity), written to {@code errors} (models x D); returns the
     * log-likelihood, sum over observed cells of y z - softplus(z), which the same pass over the cells yields.
     */
    double abilityErrors(ForkJoinPool pool, double[] errors) {
        packProducts(slopes, items, false, itemProducts);
        Cells other = cells(slopes, items);
        int chunks = Math.min(options.threads(), models);
        int[] bounds = EmCalibrator.chunkBounds(models, chunks);
        double[] partial = new double[chunks];
        EmCalibrator.parallel(pool, chunks, c -> {
            double[] point = new double[dims];
            double[] hessians = new double[GROUP * dims * dims];
            double[] hessian = new double[dims * dims];
            Scratch scratch = new Scratch(items, GROUP);
            double sum = 0;
            for (int first = bounds[c]; first < bounds[c + 1]; first += GROUP) {
                int count = Math.min(GROUP, bounds[c + 1] - first);
                for (int g = 0; g < count; g++) {
                    System.arraycopy(theta, (first + g) * dims, point, 0, dims);
                    sum += pass(byModel, first + g, items, other, false, intercepts, point, null, g, scratch, true);
                }
                outerProducts(hessians, count, dims, itemProducts, scratch.weights, items, scratch);
                for (int g = 0; g < count; g++) {
                    System.arraycopy(hessians, g * dims * dims, hessian, 0, dims * dims);
                    for (int k = 0; k < dims; k++) {
                        hessian[k * dims + k] += 1.0;
                    }
                    symmetrise(hessian, dims);
                    double[] diagonal = SmallMatrices.inverseDiagonal(hessian, dims);
                    for (int k = 0; k < dims; k++) {
                        errors[(first + g) * dims + k] = Math.sqrt(diagonal[k]);
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
