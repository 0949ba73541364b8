package dev.itembank.psychometrics.irt;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/** The parameters of an EM fit in progress, with its E-step and M-step. */
final class EmState {

    final ResponseMatrix matrix;
    final EmCalibrator.Options options;
    final int items;
    final int models;
    final int points;
    final double[] nodes;
    final double[] logPrior;
    final double[] slope;
    final double[] intercept;
    final double[] guessing;
    final double[] upper;
    final boolean logLinear;
    /** Sum over models of each item's score: the sufficient statistic of the intercept. */
    final double[] scoreSums;
    /** How many models answered each item. */
    final double[] answered;
    /** Per cell (item-major): log-linear models softplus(z) (kept for items with missing cells only), else log(1 - P). */
    private final double[] curve;
    /** Per cell: log P - log(1 - P), for models that are not log-linear. */
    private final double[] delta;
    /** The E-step's per-thread sums, kept from one iteration to the next. */
    private Partial[] partials;

    private EmState(ResponseMatrix matrix, EmCalibrator.Options options, double[] slope, double[] intercept,
            double[] guessing, double[] upper) {
        this.matrix = matrix;
        this.options = options;
        this.items = matrix.items();
        this.models = matrix.models();
        this.points = options.quadraturePoints();
        this.nodes = AbilityEstimator.grid(points);
        this.logPrior = new double[points];
        double total = 0;
        for (int q = 0; q < points; q++) {
            total += Math.exp(-nodes[q] * nodes[q] / 2);
        }
        for (int q = 0; q < points; q++) {
            logPrior[q] = -nodes[q] * nodes[q] / 2 - Math.log(total);
        }
        this.slope = slope;
        this.intercept = intercept;
        this.guessing = guessing;
        this.upper = upper;
        this.logLinear = options.model() == ItemModel.ONE_PL || options.model() == ItemModel.TWO_PL;
        this.scoreSums = new double[items];
        this.answered = new double[items];
        double[] row = new double[items];
        for (int model = 0; model < models; model++) {
            matrix.row(model, row);
            for (int item = 0; item < items; item++) {
                if (!Double.isNaN(row[item])) {
                    scoreSums[item] += row[item];
                    answered[item]++;
                }
            }
        }
        boolean anyMissing = false;
        for (int item = 0; item < items; item++) {
            anyMissing |= answered[item] < models;
        }
        this.curve = logLinear && !anyMissing ? null : new double[items * points];
        this.delta = logLinear ? null : new double[items * points];
    }

    /** Start values: a = 1, d = logit of the item's mean score, g = 0.15 and u = 0.95 where the model has them. */
    static EmState start(ResponseMatrix matrix, EmCalibrator.Options options) {
        int n = matrix.items();
        double[] slope = new double[n];
        double[] intercept = new double[n];
        double[] guessing = new double[n];
        double[] upper = new double[n];
        Arrays.fill(slope, 1.0);
        Arrays.fill(upper, 1.0);
        EmState state = new EmState(matrix, options, slope, intercept, guessing, upper);
        ItemModel model = options.model();
        for (int item = 0; item < n; item++) {
            double p = (state.scoreSums[item] + 0.5) / (state.answered[item] + 1.0);
            guessing[item] = model.hasGuessing() ? 0.15 : 0.0;
            upper[item] = model.hasUpperAsymptote() ? 0.95 : 1.0;
            double inner = Math.min(0.98, Math.max(0.02, (p - guessing[item]) / (upper[item] - guessing[item])));
            intercept[item] = Math.max(-6, Math.min(6, 1.7 * Logistic.logit(inner)));
        }
        return state;
    }

    /** A state with fixed items, for likelihoods of new rows. */
    static EmState of(ResponseMatrix matrix, EmCalibrator.Options options, UnidimensionalItems items) {
        return new EmState(matrix, options, items.slope().clone(), items.intercept().clone(),
                items.guessing().clone(), items.upper().clone());
    }

    /**
     * The free parameters as one vector, on the scale the accelerator extrapolates on: a and d as they are,
     * the asymptotes as logits (so that any extrapolation stays a valid item).
     */
    double[] parameters() {
        double[] packed = new double[4 * items];
        for (int i = 0; i < items; i++) {
            packed[4 * i] = slope[i];
            packed[4 * i + 1] = intercept[i];
            packed[4 * i + 2] = options.model().hasGuessing() ? Logistic.logit(guessing[i]) : 0;
            packed[4 * i + 3] = options.model().hasUpperAsymptote() ? Logistic.logit(upper[i]) : 0;
        }
        return packed;
    }

    /** Sets the parameters from {@link #parameters()}'s layout. */
    void parameters(double[] packed) {
        for (int i = 0; i < items; i++) {
            slope[i] = packed[4 * i];
            intercept[i] = packed[4 * i + 1];
            if (options.model().hasGuessing()) {
                guessing[i] = Logistic.sigmoid(packed[4 * i + 2]);
            }
            if (options.model().hasUpperAsymptote()) {
                upper[i] = Logistic.sigmoid(packed[4 * i + 3]);
            }
        }
    }

    UnidimensionalItems items() {
        return new UnidimensionalItems(options.model(), slope.clone(), intercept.clone(), guessing.clone(),
                upper.clone());
    }

    /** What the E-step hands the M-step. */
    record Expectation(double logLikelihood, double[] posteriorMass, double[] missingMass, double[] expectedCorrect,
            double[] weightedAbility, double[] abilityMeans, double[] abilitySds) {

        /** n_iq: the posterior mass at node q of the models that answered item i. */
        double answeredMass(int item, int q, int points) {
            return posteriorMass[q] - (missingMass == null ? 0 : missingMass[item * points + q]);
        }
    }

    // ---------------------------------------------------------------------------------------------- E-step

    Expectation expectation(ForkJoinPool pool) {
        int itemChunks = Math.min(options.threads(), items);
        int[] itemBounds = EmCalibrator.chunkBounds(items, itemChunks);
        double[][] bases = new double[itemChunks][];
        EmCalibrator.parallel(pool, itemChunks, c -> bases[c] = itemCurves(itemBounds[c], itemBounds[c + 1]));
        double[] base = bases[0];
        for (int c = 1; c < itemChunks; c++) {
            add(base, bases[c]);
        }
        int chunks = Math.min(options.threads(), models);
        int[] bounds = EmCalibrator.chunkBounds(models, chunks);
        if (partials == null || partials.length != chunks) {
            partials = new Partial[chunks];
        }
        EmCalibrator.parallel(pool, chunks, c -> {
            if (partials[c] == null) {
                partials[c] = new Partial();
            }
            Partial partial = partials[c];
            partial.reset();
            for (int model = bounds[c]; model < bounds[c + 1]; model++) {
                partial.add(model, curve, delta, base);
            }
        });
        return merge(partials);
    }

    /**
     * The per-item terms of the E-step for items [from, to), and their sum over items at each node.
     *
     * <p>Log-linear models: base_q = sum_i softplus(a_i x_q + d_i), with e^(a x_q + d) by the recurrence
     * e^(a x_0 + d) (e^(a h))^q on the even grid, and softplus(z) = max(z, 0) + log(1 + e^-|z|) summed as the
     * logarithm of a product of factors in (1, 2] (one logarithm per node per 512 items instead of one per cell).
     * The per-cell softplus values are kept only for items that some model did not answer (missing cells subtract
     * them). Other models: base_q = sum_i log(1 - P_iq), with log P - log(1 - P) per cell.
     */
    private double[] itemCurves(int from, int to) {
        double[] base = new double[points];
        if (!logLinear) {
            for (int i = from; i < to; i++) {
                for (int q = 0; q < points; q++) {
                    int at = i * points + q;
                    double p = AbilityEstimator.clampProbability(guessing[i] + (upper[i] - guessing[i])
                            * Logistic.sigmoid(slope[i] * nodes[q] + intercept[i]));
                    curve[at] = Math.log(1 - p);
                    delta[at] = Math.log(p) - curve[at];
                    base[q] += curve[at];
                }
            }
            return base;
        }
        double[] product = new double[points];
        Arrays.fill(product, 1.0);
        double spacing = nodes[1] - nodes[0];
        int pending = 0;
        for (int i = from; i < to; i++) {
            double a = slope[i];
            double d = intercept[i];
            boolean hasMissing = answered[i] < models;
            if (Math.abs(a) * Math.abs(nodes[0]) + Math.abs(d) < 600 && Math.abs(a * spacing) < 300) {
                double e = Math.exp(a * nodes[0] + d);
                double ratio = Math.exp(a * spacing);
                for (int q = 0; q < points; q++) {
                    // e = exp(z); factor = 1 + exp(-|z|); max(z, 0) = log e when e > 1
                    boolean positive = e > 1;
                    double factor = 1 + (positive ? 1 / e : e);
                    product[q] *= factor;
                    if (positive) {
                        base[q] += a * nodes[q] + d;
                    }
                    if (hasMissing) {
                        curve[i * points + q] = softplus(a * nodes[q] + d);
                    }
                    e *= ratio;
                }
            } else {
                for (int q = 0; q < points; q++) {
                    double value = softplus(a * nodes[q] + d);
                    base[q] += value;
                    if (hasMissing) {
                        curve[i * points + q] = value;
                    }
                }
            }
            if (++pending == 512) {
                for (int q = 0; q < points; q++) {
                    base[q] += Math.log(product[q]);
                    product[q] = 1.0;
                }
                pending = 0;
            }
        }
        for (int q = 0; q < points; q++) {
            base[q] += Math.log(product[q]);
        }
        return base;
    }

    /** One chunk's sums over its models. */
    private final class Partial {
        double logLikelihood;
        final double[] mass = new double[points];
        double[] missingMass;
        final double[] expectedCorrect = logLinear ? null : new double[items * points];
        final double[] weightedAbility = logLinear ? new double[items] : null;
        final double[] means = new double[models];
        final double[] sds = new double[models];
        final Cells cells = new Cells(matrix);
        final double[] logWeight = new double[points];

        void reset() {
            logLikelihood = 0;
            Arrays.fill(mass, 0);
            if (missingMass != null) {
                Arrays.fill(missingMass, 0);
            }
            if (expectedCorrect != null) {
                Arrays.fill(expectedCorrect, 0);
            }
            if (weightedAbility != null) {
                Arrays.fill(weightedAbility, 0);
            }
            Arrays.fill(means, 0);
            Arrays.fill(sds, 0);
        }

        void add(int model, double[] curve, double[] delta, double[] base) {
            cells.load(model);
            // L_q: log-likelihood of the model's responses at node q
            if (logLinear) {
                // sum_i [y (a x + d) - softplus(a x + d)] = x sum y a + sum y d - sum softplus
                double sa = 0;
                double sd = 0;
                for (int k = 0; k < cells.positives; k++) {
                    int i = cells.positive[k];
                    sa += cells.score[k] * slope[i];
                    sd += cells.score[k] * intercept[i];
                }
                for (int q = 0; q < points; q++) {
                    logWeight[q] = nodes[q] * sa + sd - base[q];
                }
            } else {
                // sum_i log(1 - P) + y (log P - log(1 - P))
                System.arraycopy(base, 0, logWeight, 0, points);
                for (int k = 0; k < cells.positives; k++) {
                    addScaled(logWeight, 0, delta, cells.positive[k] * points, cells.score[k], points);
                }
            }
            for (int k = 0; k < cells.missings; k++) {
                int from = cells.missing[k] * points;
                for (int q = 0; q < points; q++) {
                    logWeight[q] -= logLinear ? -curve[from + q] : curve[from + q];
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int q = 0; q < points; q++) {
                logWeight[q] += logPrior[q];
                max = Math.max(max, logWeight[q]);
            }
            double total = 0;
            for (int q = 0; q < points; q++) {
                logWeight[q] = Math.exp(logWeight[q] - max);
                total += logWeight[q];
            }
            logLikelihood += max + Math.log(total);
            double mean = 0;
            double square = 0;
            for (int q = 0; q < points; q++) {
                double w = logWeight[q] / total;
                logWeight[q] = w;
                mass[q] += w;
                mean += w * nodes[q];
                square += w * nodes[q] * nodes[q];
            }
            means[model] = mean;
            sds[model] = Math.sqrt(Math.max(0, square - mean * mean));
            if (cells.missings > 0) {
                if (missingMass == null) {
                    missingMass = new double[items * points];
                }
                for (int k = 0; k < cells.missings; k++) {
                    int from = cells.missing[k] * points;
                    for (int q = 0; q < points; q++) {
                        missingMass[from + q] += logWeight[q];
                    }
                }
            }
            if (logLinear) {
                for (int k = 0; k < cells.positives; k++) {
                    weightedAbility[cells.positive[k]] += cells.score[k] * mean;
                }
            } else {
                for (int k = 0; k < cells.positives; k++) {
                    addScaled(expectedCorrect, cells.positive[k] * points, logWeight, 0, cells.score[k], points);
                }
            }
        }
    }

    private Expectation merge(Partial[] partials) {
        double logLikelihood = 0;
        double[] mass = new double[points];
        double[] missing = null;
        double[] expected = logLinear ? null : new double[items * points];
        double[] weighted = logLinear ? new double[items] : null;
        double[] means = new double[models];
        double[] sds = new double[models];
        for (Partial partial : partials) {
            logLikelihood += partial.logLikelihood;
            add(mass, partial.mass);
            if (partial.missingMass != null) {
                missing = missing == null ? new double[items * points] : missing;
                add(missing, partial.missingMass);
            }
            if (logLinear) {
                add(weighted, partial.weightedAbility);
            } else {
                add(expected, partial.expectedCorrect);
            }
            add(means, partial.means);
            add(sds, partial.sds);
        }
        return new Expectation(logLikelihood, mass, missing, expected, weighted, means, sds);
    }

    /** target[at + q] += y * source[from + q] for q < n: a loop the JIT turns into vector instructions. */
    private static void addScaled(double[] target, int at, double[] source, int from, double y, int n) {
        for (int q = 0; q < n; q++) {
            target[at + q] += y * source[from + q];
        }
    }

    private static void add(double[] target, double[] values) {
        for (int k = 0; k < target.length; k++) {
            target[k] += values[k];
        }
    }

    // ---------------------------------------------------------------------------------------------- M-step

    /** Updates every item; returns the largest change of any parameter. */
    double maximization(Expectation expectation, ForkJoinPool pool) {
        int chunks = Math.min(options.threads(), items);
        int[] bounds = EmCalibrator.chunkBounds(items, chunks);
        double[] changes = new double[items];
        double[] slopeScore = new double[items];
        double[] slopeInformation = new double[items];
        ItemStep step = new ItemStep(this);
        EmCalibrator.parallel(pool, chunks, c -> {
            for (int i = bounds[c]; i < bounds[c + 1]; i++) {
                changes[i] = step.update(i, expectation, slopeScore, slopeInformation);
            }
        });
        double change = 0;
        for (double value : changes) {
            change = Math.max(change, value);
        }
        if (options.model() == ItemModel.ONE_PL) {
            change = Math.max(change, step.updateCommonSlope(slopeScore, slopeInformation));
        }
        return change;
    }

    // softplus(z) = log(1 + e^z)
    static double softplus(double z) {
        return Math.max(z, 0) + Math.log(1 + Math.exp(-Math.abs(z)));
    }

    /** The cells of one model's row that the E-step needs: positive scores and missing items. */
    static final class Cells {
        private final ResponseMatrix matrix;
        final int[] positive;
        final double[] score;
        final int[] missing;
        int positives;
        int missings;
        private final long[] observedWords;
        private final long[] correctWords;
        private final double[] row;

        Cells(ResponseMatrix matrix) {
            this.matrix = matrix;
            int n = matrix.items();
            positive = new int[n];
            score = new double[n];
            missing = new int[n];
            int words = ResponseMatrix.words(n);
            observedWords = new long[words];
            correctWords = matrix.isBinary() ? new long[words] : null;
            row = matrix.isBinary() ? null : new double[n];
            if (matrix.isBinary()) {
                Arrays.fill(score, 1.0);
            }
        }

        void load(int model) {
            positives = 0;
            missings = 0;
            int n = matrix.items();
            if (matrix.isBinary()) {
                matrix.observedWords(model, observedWords);
                matrix.correctWords(model, correctWords);
                for (int w = 0; w < observedWords.length; w++) {
                    long correct = correctWords[w];
                    while (correct != 0) {
                        positive[positives++] = (w << 6) + Long.numberOfTrailingZeros(correct);
                        correct &= correct - 1;
                    }
                    long absent = ~observedWords[w];
                    if (w == observedWords.length - 1 && (n & 63) != 0) {
                        absent &= (1L << (n & 63)) - 1;
                    }
                    while (absent != 0) {
                        missing[missings++] = (w << 6) + Long.numberOfTrailingZeros(absent);
                        absent &= absent - 1;
                    }
                }
            } else {
                matrix.row(model, row);
                for (int i = 0; i < n; i++) {
                    double y = row[i];
                    if (Double.isNaN(y)) {
                        missing[missings++] = i;
                    } else if (y > 0) {
                        positive[positives] = i;
                        score[positives++] = y;
                    }
                }
            }
        }
    }
}
