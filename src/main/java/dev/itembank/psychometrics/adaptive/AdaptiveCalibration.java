package dev.itembank.psychometrics.adaptive;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.stat.regression.SimpleRegression;

import dev.itembank.psychometrics.estimation.ConformalInterval;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;

/**
 * The full-score reading of adaptive tests, fitted for the adaptive design: sessions of the training models are
 * simulated from their full rows with the same design and stopping rule. Per scenario, a line truth = a + b reading
 * is fitted to them by least squares (it takes out what the IRT prediction gets wrong for the whole field: the
 * misfit that more items do not remove), and the leave-one-out residuals of the line, divided by each session's
 * model-based SD, are kept: a new session's interval is estimate +- q sd, with q their split-conformal quantile of
 * |z| at the level ({@link ConformalInterval#halfWidth}). The overall estimate is the mean of the corrected scenario
 * estimates, calibrated the same way. With fewer than {@link #MIN_MODELS} models the line is the identity and q
 * the normal quantile: the model-based reading.
 *
 * <p>Cross-fitted (the service and the evaluation command do): each half of the training models is simulated on items
 * calibrated on the other half, so the residuals describe models the items were not fitted on. Without it the
 * training models' answers also fitted the items and the residuals are optimistic: 90% intervals covered 0.67-0.91
 * of held-out models on six datasets, against 0.90-0.96 cross-fitted.
 *
 * <p><b>Item choice per scenario</b> ({@link #sampled}): where the IRT model describes the field badly, the most
 * informative items read through it miss by more than a random sample of the same size read by AIPW (at 50 items per
 * scenario, in the evaluation command's sessions: alpacaeval2 0.0386 against 0.0220, chembench, 22 models, 0.1213
 * against 0.0328). So the sessions are simulated twice, with information-based choice and with items drawn at
 * random (by sub-scenario, in proportion to each one's share of the score), and per scenario the design of lower
 * error on the training models is kept: the line's leave-one-out error against the random sample's AIPW reading (the IRT prediction corrected by the
 * sample's mean residual, {@link AdaptiveTest#read}), cross-fitted alike. Where a scenario is sampled, that reading
 * and its sampling error stand: unbiased on a random sample for any model, one beyond the training models included,
 * so its line is the identity. The sessions are then simulated once more with the chosen designs, and the lines and
 * residuals fitted on those.
 *
 * @param intercept per scenario (last: unused for overall, which averages the scenarios)
 * @param slope per scenario
 * @param residuals per scenario (last: overall), the studentized leave-one-out residuals
 * @param sampled per scenario, whether its items are drawn at random and read by AIPW
 * @param simulated per scenario, the simulated mean absolute errors of the two designs, {information, random}
 *        (NaN where not simulated)
 */
public record AdaptiveCalibration(double[] intercept, double[] slope, double[][] residuals, boolean[] sampled,
        double[][] simulated) {

    /** The most training models simulated (a random sample of them beyond). */
    public static final int MAX_MODELS = 100;
    /** Fewer simulated models than this: no line, normal intervals. */
    public static final int MIN_MODELS = 10;

    /** The model-based reading alone: identity lines, normal intervals, information-based choice everywhere. */
    public static AdaptiveCalibration none(int scenarios) {
        return identity(new boolean[scenarios]);
    }

    /** Identity lines and normal intervals, with the given scenarios sampled at random. */
    static AdaptiveCalibration identity(boolean[] sampled) {
        int scenarios = sampled.length;
        double[] ones = new double[scenarios];
        Arrays.fill(ones, 1.0);
        return new AdaptiveCalibration(new double[scenarios], ones, new double[scenarios + 1][0], sampled.clone(),
                unsimulated(scenarios));
    }

    /** Per scenario, {information, random} errors not simulated (NaN). */
    private static double[][] unsimulated(int scenarios) {
        double[][] simulated = new double[scenarios][2];
        for (double[] pair : simulated) {
            Arrays.fill(pair, Double.NaN);
        }
        return simulated;
    }

    /** Simulates sessions of (up to {@link #MAX_MODELS} of) the training models and fits the lines. */
    public static AdaptiveCalibration fit(AdaptiveDesign design, StoppingRule rule, ResponseMatrix training, long seed,
            double level) {
        return fit(design, rule, training, seed, level, null);
    }

    /**
     * Items calibrated on one half of the training models, the first (0) or the second (1) of a split fixed by the
     * seed: the same half and seed always name the same models, so a caller may keep each half's items.
     */
    @FunctionalInterface
    public interface Refit {
        ItemBank fit(int half, ResponseMatrix models);
    }

    /**
     * The same, cross-fitted when {@code refit} is given: the training models are split in two halves, the items are
     * calibrated on each half, and each half's sessions are simulated on the items of the other, so that the lines
     * and residuals describe models the items were not fitted on (as a new model is).
     */
    public static AdaptiveCalibration fit(AdaptiveDesign design, StoppingRule rule, ResponseMatrix training, long seed,
            double level, Refit refit) {
        return fit(design, rule, training, seed, level, true, refit);
    }

    /**
     * The same; with {@code choose} false, information-based items in every scenario and one simulation (what
     * sessions begun before item choice per scenario keep).
     */
    public static AdaptiveCalibration fit(AdaptiveDesign design, StoppingRule rule, ResponseMatrix training, long seed,
            double level, boolean choose, Refit refit) {
        int scenarios = design.scenarios();
        int models = training.models();
        int used = Math.min(MAX_MODELS, models);
        if (used < MIN_MODELS) {
            return none(scenarios);
        }
        int[] order = sample(models, used, seed);
        AdaptiveDesign[] designs = {design, design};
        boolean[] firstHalf = new boolean[models];
        if (refit != null) {
            int[] shuffled = sample(models, models, seed ^ 0x5DEECE66DL);
            for (int k = 0; k < models / 2; k++) {
                firstHalf[shuffled[k]] = true;
            }
            for (int h = 0; h < 2; h++) {
                boolean fitOnFirst = h == 1; // half h is simulated on items fitted on the other half
                int[] other = java.util.stream.IntStream.range(0, models).filter(l -> firstHalf[l] == fitOnFirst)
                        .toArray();
                ItemBank items = refit.fit(1 - h, training.selectModels(other));
                designs[h] = new AdaptiveDesign(items, design.scenarioOfItem(), design.subscenarioOfItem(),
                        design.scenarios(), design.balance(), design.eligible());
            }
        }
        boolean[] covered = design.covered();
        Simulation byInformation = Simulation.run(designs, firstHalf, order, rule, training, new boolean[scenarios],
                seed, level);
        if (!choose) {
            return byInformation.fitted(covered, new boolean[scenarios], unsimulated(scenarios));
        }
        boolean[] random = new boolean[scenarios];
        Arrays.fill(random, true);
        Simulation byChance = Simulation.run(designs, firstHalf, order, rule, training, random, seed, level);
        boolean[] sampled = new boolean[scenarios];
        double[][] simulated = unsimulated(scenarios);
        for (int s = 0; s < scenarios; s++) {
            if (covered[s]) {
                simulated[s][0] = byInformation.error(s, false);
                simulated[s][1] = byChance.error(s, true);
                sampled[s] = simulated[s][1] < simulated[s][0];
            }
        }
        // a third simulation only where the designs are mixed (one of the two already ran the chosen designs)
        boolean anySampled = false;
        boolean allSampled = true;
        for (int s = 0; s < scenarios; s++) {
            anySampled |= sampled[s];
            allSampled &= sampled[s] || !covered[s];
        }
        Simulation chosen = !anySampled ? byInformation : allSampled ? byChance
                : Simulation.run(designs, firstHalf, order, rule, training, sampled, seed, level);
        return chosen.fitted(covered, sampled, simulated);
    }

    /** Simulated sessions of the training models: per scenario each one's reading, model-based SD and truth. */
    private record Simulation(double[][] readings, double[][] sds, double[][] truths) {

        static Simulation run(AdaptiveDesign[] designs, boolean[] firstHalf, int[] order, StoppingRule rule,
                ResponseMatrix training, boolean[] sampled, long seed, double level) {
            AdaptiveDesign design = designs[0];
            int scenarios = design.scenarios();
            int used = order.length;
            double[][] readings = new double[scenarios][used];
            double[][] sds = new double[scenarios + 1][used];
            double[][] truths = new double[scenarios][used];
            double[] row = new double[training.items()];
            AdaptiveCalibration identity = identity(sampled);
            for (int k = 0; k < used; k++) {
                training.row(order[k], row);
                AdaptiveDesign simulated = designs[firstHalf[order[k]] ? 0 : 1];
                AdaptiveTest.Reading reading = AdaptiveTest.simulate(simulated, rule, identity, row, seed + k, level)
                        .last().reading();
                double[] truth = ScenarioScores.of(row, design.balance(), design.scenarioOfItem(), scenarios);
                for (int s = 0; s < scenarios; s++) {
                    readings[s][k] = reading.estimate()[s];
                    sds[s][k] = reading.sd()[s];
                    truths[s][k] = truth[s];
                }
                sds[scenarios][k] = reading.overallSd();
            }
            return new Simulation(readings, sds, truths);
        }

        /**
         * Scenario s's estimates of the simulated models as the chosen design reads them: the reading itself where
         * sampled (AIPW, identity line), else the line's leave-one-out estimate (clamped to [0, 1]).
         */
        double[] estimates(int s, boolean sampled) {
            if (sampled) {
                return readings[s];
            }
            double[] loo = Line.leaveOneOut(readings[s], truths[s]);
            for (int k = 0; k < loo.length; k++) {
                loo[k] = clamp(loo[k]);
            }
            return loo;
        }

        /** The mean absolute error of {@link #estimates} in scenario s (infinite where nothing was read). */
        double error(int s, boolean sampled) {
            double[] estimate = estimates(s, sampled);
            double total = 0;
            int count = 0;
            for (int k = 0; k < estimate.length; k++) {
                if (!Double.isNaN(estimate[k]) && !Double.isNaN(truths[s][k])) {
                    total += Math.abs(estimate[k] - truths[s][k]);
                    count++;
                }
            }
            return count == 0 ? Double.POSITIVE_INFINITY : total / count;
        }

        /**
         * Lines (the identity where sampled: the AIPW reading stays unbiased) and studentized leave-one-out residuals
         * per scenario, and overall those of the mean over covered scenarios.
         */
        AdaptiveCalibration fitted(boolean[] covered, boolean[] sampled, double[][] simulated) {
            int scenarios = truths.length;
            int used = truths[0].length;
            double[] intercept = new double[scenarios];
            double[] slope = new double[scenarios];
            double[][] residuals = new double[scenarios + 1][used];
            double[][] looEstimates = new double[scenarios][];
            for (int s = 0; s < scenarios; s++) {
                if (!covered[s]) {
                    slope[s] = 1;
                    Arrays.fill(residuals[s], Double.NaN);
                    continue;
                }
                Line line = sampled[s] ? new Line(0, 1) : Line.fit(readings[s], truths[s]);
                intercept[s] = line.intercept;
                slope[s] = line.slope;
                looEstimates[s] = estimates(s, sampled[s]);
                for (int k = 0; k < used; k++) {
                    residuals[s][k] = studentized(looEstimates[s][k], truths[s][k], sds[s][k]);
                }
            }
            for (int k = 0; k < used; k++) {
                double estimate = 0;
                double truth = 0;
                int count = 0;
                for (int s = 0; s < scenarios; s++) {
                    if (covered[s] && !Double.isNaN(looEstimates[s][k]) && !Double.isNaN(truths[s][k])) {
                        estimate += looEstimates[s][k];
                        truth += truths[s][k];
                        count++;
                    }
                }
                residuals[scenarios][k] = count == 0 ? Double.NaN
                        : studentized(estimate / count, truth / count, sds[scenarios][k]);
            }
            return new AdaptiveCalibration(intercept, slope, residuals, sampled.clone(), simulated);
        }
    }

    /** The reading with each scenario's estimate put through its line (clamped to [0, 1]) and overall their mean. */
    public AdaptiveTest.Reading correct(AdaptiveTest.Reading reading) {
        double[] estimate = reading.estimate().clone();
        double overall = 0;
        int count = 0;
        for (int s = 0; s < estimate.length; s++) {
            if (!Double.isNaN(estimate[s])) {
                estimate[s] = clamp(intercept[s] + slope[s] * estimate[s]);
                overall += estimate[s];
                count++;
            }
        }
        return new AdaptiveTest.Reading(estimate, reading.sd(), count == 0 ? Double.NaN : overall / count,
                reading.overallSd());
    }

    /** The interval's half-width for scenario {@code s} ({@code -1}: overall) of a corrected reading. */
    public double halfWidth(AdaptiveTest.Reading reading, int scenario, double level) {
        double sd = scenario < 0 ? reading.overallSd() : reading.sd()[scenario];
        double[] z = scenario < 0 ? residuals[residuals.length - 1] : residuals[scenario];
        double q = ConformalInterval.halfWidth(z, level);
        if (!Double.isFinite(q)) {
            q = new NormalDistribution(0, 1).inverseCumulativeProbability((1 + level) / 2);
        }
        return q * sd;
    }

    /** Whether lines and intervals came from simulated sessions (false: the model-based reading). */
    public boolean fitted() {
        return residuals[residuals.length - 1].length >= MIN_MODELS;
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }

    private static double studentized(double estimate, double truth, double sd) {
        return Double.isNaN(estimate) || Double.isNaN(truth) ? Double.NaN : (estimate - truth) / Math.max(sd, 1e-9);
    }

    private static int[] sample(int models, int count, long seed) {
        int[] order = java.util.stream.IntStream.range(0, models).toArray();
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = models - 1; k > 0; k--) {
            int other = random.nextInt(k + 1);
            int swap = order[k];
            order[k] = order[other];
            order[other] = swap;
        }
        return Arrays.copyOf(order, count);
    }

    /** A least-squares line (Hipparchus' SimpleRegression) and its leave-one-out predictions. */
    private record Line(double intercept, double slope) {

        /** The line through the points where both coordinates are known; the identity below MIN_MODELS of them. */
        static Line fit(double[] x, double[] y) {
            return of(regression(x, y));
        }

        private static SimpleRegression regression(double[] x, double[] y) {
            SimpleRegression regression = new SimpleRegression();
            for (int k = 0; k < x.length; k++) {
                if (!Double.isNaN(x[k]) && !Double.isNaN(y[k])) {
                    regression.addData(x[k], y[k]);
                }
            }
            return regression;
        }

        private static Line of(SimpleRegression regression) {
            if (regression.getN() < MIN_MODELS || !Double.isFinite(regression.getSlope())) {
                return new Line(0, 1);
            }
            return new Line(regression.getIntercept(), regression.getSlope());
        }

        /**
         * Per point k, the line fitted without it, evaluated at x_k: the sums of the whole fit with point k taken
         * out and put back (O(n) in all, not a refit per point).
         */
        static double[] leaveOneOut(double[] x, double[] y) {
            SimpleRegression regression = regression(x, y);
            double[] estimates = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                boolean known = !Double.isNaN(x[k]) && !Double.isNaN(y[k]);
                if (known) {
                    regression.removeData(x[k], y[k]);
                }
                Line without = of(regression);
                estimates[k] = without.intercept + without.slope * x[k];
                if (known) {
                    regression.addData(x[k], y[k]);
                }
            }
            return estimates;
        }
    }
}
