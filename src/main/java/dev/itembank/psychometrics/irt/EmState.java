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
        double[] curve = new double[items * points];   // log-linear: softplus(z); otherwise log(1 - P)
        double[] delta = logLinear ? null : new double[items * points]; // log P - log(1 - P)
        double[] base = new double[points];            // sum over items of curve
        for (int i = 0; i < items; i++) {
            for (int q = 0; q < points; q++) {
                double z = slope[i] * nodes[q] + intercept[i];
                int at = i * points + q;
                if (logLinear) {
                    curve[at] = softplus(z);
                } else {
                    double p = AbilityEstimator.clampProbability(guessing[i] + (upper[i] - guessing[i])
                            * Logistic.sigmoid(z));
                    curve[at] = Math.log(1 - p);
                    delta[at] = Math.log(p) - curve[at];
                }
                base[q] += curve[at];
            }
        }
        int chunks = Math.min(options.threads(), models);
        int[] bounds = EmCalibrator.chunkBounds(models, chunks);
        Partial[] partials = new Partial[chunks];
        EmCalibrator.parallel(pool, chunks, c -> {
            Partial partial = new Partial();
            for (int model = bounds[c]; model < bounds[c + 1]; model++) {
                partial.add(model, curve, delta, base);
            }
            partials[c] = partial;
        });
        return merge(partials);
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
                    int from = cells.positive[k] * points;
                    double y = cells.score[k];
                    for (int q = 0; q < points; q++) {
                        logWeight[q] += y * delta[from + q];
                    }
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
            for (int k = 0; k < cells.positives; k++) {
                int i = cells.positive[k];
                double y = cells.score[k];
                if (logLinear) {
                    weightedAbility[i] += y * mean;
                } else {
                    int from = i * points;
                    for (int q = 0; q < points; q++) {
                        expectedCorrect[from + q] += y * logWeight[q];
                    }
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
