package dev.itembank.psychometrics.adaptive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import dev.itembank.psychometrics.irt.Ability;
import dev.itembank.psychometrics.irt.AbilityEstimator;
import dev.itembank.psychometrics.irt.AbilityMethod;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.SmallMatrices;

import static dev.itembank.psychometrics.estimation.Reading.UNKNOWN_ERROR;

/**
 * Computerized adaptive testing on calibrated items: after each batch of answers, the ability is re-estimated
 * (MAP under the calibration's N(0, I) prior) and the next batch is the most informative items at it.
 *
 * <p>Item choice, per batch of k: with A = I + sum over answered items of their Fisher information at theta-hat
 * (the posterior precision), an item's gain is the relative growth of det(A) it would bring,
 * det(A + g g' / v) / det(A) - 1 = g' A^-1 g / v (g = dP/dtheta, v = P (1 - P); D-optimality, which for D = 1 is the
 * item's information over the current precision). Each slot goes to the covered scenario with the fewest items asked
 * (content balancing), within it to the sub-scenario asked least relative to its size, and within that to one of
 * the {@link #RANDOMESQUE} items of highest gain drawn at random (exposure control: the same ability does not
 * always get the same items). In a scenario where the calibration's simulated sessions found a random sample read
 * by AIPW to miss less ({@link AdaptiveCalibration#sampled}), each slot draws uniformly among its sub-scenario's
 * items instead, the sub-scenario being the one asked least relative to its share of the scenario's score. Draws
 * come from the seed and the number of items asked, so a session resumed after a restart asks what it would have
 * asked.
 *
 * <p>Full scores ({@link Reading}): per scenario, the balance-weighted mean of the answers on asked items and of the
 * predicted P_j(theta-hat) on the others (tinyBenchmarks' p-IRT reading, with the asked items read as observed), with
 * a model-based standard deviation: the Bernoulli variance of the unasked items plus the ability's posterior
 * variance carried through the prediction, g_s' C g_s with C = A^-1. {@link AdaptiveCalibration} corrects it and
 * turns it into an interval, both fitted on simulated sessions of the training models.
 *
 * <p>Fluid Benchmarking (allenai/fluid-benchmarking, 2025) showed adaptive testing for language models offline;
 * this is its serving form, with batches, content balancing and calibrated full-score intervals.
 */
public final class AdaptiveTest {

    /** Items of highest gain among which each slot draws at random. */
    public static final int RANDOMESQUE = 5;

    private AdaptiveTest() {
    }

    /**
     * What is known after the answers so far, and what to do next.
     *
     * @param next items to ask now (empty when done)
     * @param reason why the test stopped (null while it goes on): maxItems, standardError, intervalHalfWidth or
     *        exhausted
     * @param ability the MAP ability with its standard errors
     * @param reading the full-score reading at that ability
     */
    public record Step(int[] next, boolean done, String reason, Ability ability, Reading reading) {
    }

    /**
     * Per scenario (NaN where not covered) and overall (the mean over covered scenarios): the estimate and its
     * model-based standard deviation.
     */
    public record Reading(double[] estimate, double[] sd, double overall, double overallSd) {
    }

    /**
     * The step after {@code answers} to {@code asked} (NaN: asked but not answered, e.g. the model has no result):
     * stop, or the next batch.
     *
     * @param calibration the reading's lines and intervals ({@link AdaptiveCalibration#none}: model-based)
     */
    public static Step step(AdaptiveDesign design, StoppingRule rule, AdaptiveCalibration calibration, int[] asked,
            double[] answers, long seed, double level) {
        Ability ability = ability(design.bank(), asked, answers);
        double[] covariance = covariance(design.bank(), asked, answers, ability.theta());
        Reading reading = calibration.correct(read(design, calibration.sampled(), asked, answers, ability.theta(),
                covariance));
        String reason = stopReason(design, rule, calibration, asked, answers, ability, reading, level);
        if (reason != null) {
            return new Step(new int[0], true, reason, ability, reading);
        }
        int[] next = choose(design, calibration.sampled(), asked, ability.theta(), covariance,
                Math.min(rule.batchSize(), rule.maxItems() - asked.length),
                new SplittableRandom(seed * 1_000_003L + asked.length));
        if (next.length == 0) {
            return new Step(next, true, "exhausted", ability, reading);
        }
        return new Step(next, false, null, ability, reading);
    }

    /** A whole session of a model whose answers are known ({@code row}: every item's score, NaN where missing). */
    public static Simulated simulate(AdaptiveDesign design, StoppingRule rule, AdaptiveCalibration calibration,
            double[] row, long seed, double level) {
        int[] asked = new int[0];
        double[] answers = new double[0];
        while (true) {
            Step step = step(design, rule, calibration, asked, answers, seed, level);
            if (step.done()) {
                return new Simulated(asked, step);
            }
            int at = asked.length;
            asked = Arrays.copyOf(asked, at + step.next().length);
            answers = Arrays.copyOf(answers, asked.length);
            for (int k = 0; k < step.next().length; k++) {
                asked[at + k] = step.next()[k];
                answers[at + k] = row[step.next()[k]];
            }
        }
    }

    /** A simulated session: the items it asked, in order, and its last step. */
    public record Simulated(int[] asked, Step last) {
    }

    static Ability ability(ItemBank bank, int[] asked, double[] answers) {
        boolean any = Arrays.stream(answers).anyMatch(a -> !Double.isNaN(a));
        if (!any) {
            double[] ones = new double[bank.dimensions()];
            Arrays.fill(ones, 1.0);
            return new Ability(new double[bank.dimensions()], ones, AbilityMethod.MAP, 0, true);
        }
        return AbilityEstimator.estimate(bank, asked, answers, AbilityMethod.MAP);
    }

    /** C = (I + sum of the answered items' information at theta)^-1, D x D row-major. */
    static double[] covariance(ItemBank bank, int[] asked, double[] answers, double[] theta) {
        int d = bank.dimensions();
        double[] precision = new double[d * d];
        for (int r = 0; r < d; r++) {
            precision[r * d + r] = 1;
        }
        for (int k = 0; k < asked.length; k++) {
            if (!Double.isNaN(answers[k])) {
                bank.addInformation(asked[k], theta, precision);
            }
        }
        return SmallMatrices.inverse(precision, d);
    }

    /**
     * est_s = sum_j w_j x_j / sum_j w_j over the scenario's items, x_j the answer where asked and answered, else
     * P_j(theta); var_s = sum over predicted j of w_j^2 P_j (1 - P_j) / W^2 + g_s' C g_s, g_s = sum over predicted j
     * of w_j dP_j/dtheta / W. Where the scenario's items are drawn at random ({@code sampled}), the AIPW reading of
     * that random sample instead, with its sampling variance ({@link #sampleReadings}). Overall: the mean over covered
     * scenarios, its variance from the same parts.
     */
    static Reading read(AdaptiveDesign design, boolean[] sampled, int[] asked, double[] answers, double[] theta,
            double[] covariance) {
        ItemBank bank = design.bank();
        int d = bank.dimensions();
        int scenarios = design.scenarios();
        double[] observed = new double[bank.items()];
        Arrays.fill(observed, Double.NaN);
        for (int k = 0; k < asked.length; k++) {
            observed[asked[k]] = answers[k];
        }
        double[] sum = new double[scenarios];
        double[] mass = new double[scenarios];
        double[] bernoulli = new double[scenarios];
        double[][] gradient = new double[scenarios][d];
        double[] g = new double[d];
        for (int j = 0; j < bank.items(); j++) {
            int s = design.scenarioOfItem()[j];
            double w = design.balance()[j];
            mass[s] += w;
            if (!Double.isNaN(observed[j])) {
                sum[s] += w * observed[j];
                continue;
            }
            if (sampled[s]) {
                continue;
            }
            double p = bank.probability(j, theta, g);
            sum[s] += w * p;
            bernoulli[s] += w * w * p * (1 - p);
            for (int r = 0; r < d; r++) {
                gradient[s][r] += w * g[r];
            }
        }
        double[][] sampledReadings = sampleReadings(design, observed, sampled, theta);
        boolean[] covered = design.covered();
        int coveredCount = 0;
        double[] estimate = new double[scenarios];
        double[] sd = new double[scenarios];
        double overall = 0;
        double overallBernoulli = 0;
        double[] overallGradient = new double[d];
        for (int s = 0; s < scenarios; s++) {
            if (!covered[s] || mass[s] == 0) {
                estimate[s] = Double.NaN;
                sd[s] = Double.NaN;
                continue;
            }
            coveredCount++;
            if (sampled[s]) {
                double[] mean = sampledReadings[s];
                estimate[s] = mean[0];
                sd[s] = Math.sqrt(mean[1]);
                overallBernoulli += mean[1];
                overall += estimate[s];
                continue;
            }
            estimate[s] = sum[s] / mass[s];
            double[] gs = new double[d];
            for (int r = 0; r < d; r++) {
                gs[r] = gradient[s][r] / mass[s];
                overallGradient[r] += gs[r];
            }
            double variance = bernoulli[s] / (mass[s] * mass[s]);
            overallBernoulli += variance;
            sd[s] = Math.sqrt(variance + quadratic(gs, covariance, d));
            overall += estimate[s];
        }
        if (coveredCount == 0) {
            return new Reading(estimate, sd, Double.NaN, Double.NaN);
        }
        for (int r = 0; r < d; r++) {
            overallGradient[r] /= coveredCount;
        }
        double overallSd = Math.sqrt(overallBernoulli / ((double) coveredCount * coveredCount)
                + quadratic(overallGradient, covariance, d));
        return new Reading(estimate, sd, overall / coveredCount, overallSd);
    }

    /**
     * Each sampled scenario's reading from its random sample as {estimate, variance} (null for the other scenarios;
     * one pass over the items for all of them), AIPW by sub-scenario (Zhang, Dorner and Hardt, 2025: the
     * IRT prediction corrected by the sample's mean residual, unbiased on a random sample whatever the calibration
     * makes of the model): per sub-scenario g of score share W_g (its items' share of the scenario's balance weight),
     * with m_g of its N_g items answered,
     * <pre>
     *   est   = sum_g W_g (pbar_g + rbar_g) / sum_g W_g,   pbar_g = mean over g's items of P_j(theta),
     *           rbar_g = mean over g's answered items of r_k = y_k - P_k(theta)   (0 where none is answered)
     *   var   = [sum_g W_g^2 (1 - m_g / N_g) s_g^2 / m_g + sum over unanswered g of W_g^2 / 4] / (sum_g W_g)^2
     * </pre>
     * s_g^2 the residuals' variance (n / (n - 1)), for 0/1 answers at least the model's own Bernoulli variance, the
     * mean of P_k (1 - P_k) over the answered items (so that a sample the calibration happens to predict exactly does
     * not claim no error); one answer alone counts as a variance of 1/4, the widest a proportion's can be.
     */
    private static double[][] sampleReadings(AdaptiveDesign design, double[] observed, boolean[] sampled,
            double[] theta) {
        int scenarios = design.scenarios();
        double[][] readings = new double[scenarios][];
        boolean any = false;
        for (boolean b : sampled) {
            any |= b;
        }
        if (!any) {
            return readings;
        }
        // one pass over the items fills every sampled scenario's sub-scenario sums ([s][g])
        ItemBank bank = design.bank();
        int subscenarios = Arrays.stream(design.subscenarioOfItem()).max().orElse(0) + 1;
        double[][] share = new double[scenarios][subscenarios];
        double[][] predicted = new double[scenarios][subscenarios];
        int[][] size = new int[scenarios][subscenarios];
        int[][] n = new int[scenarios][subscenarios];
        double[][] sum = new double[scenarios][subscenarios];
        double[][] squares = new double[scenarios][subscenarios];
        double[][] bernoulli = new double[scenarios][subscenarios];
        boolean[][] binary = new boolean[scenarios][subscenarios];
        for (boolean[] row : binary) {
            Arrays.fill(row, true);
        }
        double[] total = new double[scenarios];
        for (int j = 0; j < observed.length; j++) {
            int s = design.scenarioOfItem()[j];
            if (!sampled[s]) {
                continue;
            }
            int g = design.subscenarioOfItem()[j];
            double p = bank.probability(j, theta);
            share[s][g] += design.balance()[j];
            total[s] += design.balance()[j];
            predicted[s][g] += p;
            size[s][g]++;
            if (!Double.isNaN(observed[j])) {
                double r = observed[j] - p;
                n[s][g]++;
                sum[s][g] += r;
                squares[s][g] += r * r;
                bernoulli[s][g] += p * (1 - p);
                binary[s][g] &= observed[j] == 0 || observed[j] == 1;
            }
        }
        for (int s = 0; s < scenarios; s++) {
            if (!sampled[s]) {
                continue;
            }
            if (total[s] == 0) {
                readings[s] = new double[] {Double.NaN, UNKNOWN_ERROR * UNKNOWN_ERROR};
                continue;
            }
            double estimate = 0;
            double variance = 0;
            for (int g = 0; g < subscenarios; g++) {
                double w = share[s][g] / total[s];
                if (size[s][g] == 0 || w == 0) {
                    continue;
                }
                estimate += w * predicted[s][g] / size[s][g];
                int m = n[s][g];
                if (m == 0) {
                    variance += w * w / 4;
                    continue;
                }
                double mean = sum[s][g] / m;
                estimate += w * mean;
                double spread = m < 2 ? 0.25 : Math.max(0, (squares[s][g] - m * mean * mean) / (m - 1));
                if (binary[s][g] && m >= 2) {
                    spread = Math.max(spread, bernoulli[s][g] / m);
                }
                variance += w * w * Math.max(0, 1 - (double) m / size[s][g]) * spread / m;
            }
            readings[s] = new double[] {Math.max(0, Math.min(1, estimate)), variance};
        }
        return readings;
    }

    private static double quadratic(double[] g, double[] matrix, int d) {
        double total = 0;
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                total += g[r] * matrix[r * d + c] * g[c];
            }
        }
        return total;
    }

    private static String stopReason(AdaptiveDesign design, StoppingRule rule, AdaptiveCalibration calibration,
            int[] asked, double[] answers, Ability ability, Reading reading, double level) {
        if (asked.length >= rule.maxItems()) {
            return "maxItems";
        }
        int[] eligible = design.eligibleCounts();
        int[] answered = new int[design.scenarios()];
        for (int k = 0; k < asked.length; k++) {
            if (!Double.isNaN(answers[k])) {
                answered[design.scenarioOfItem()[asked[k]]]++;
            }
        }
        // every covered scenario (one with eligible items) needs its minimum of answers first
        for (int s = 0; s < eligible.length; s++) {
            if (eligible[s] > 0 && answered[s] < Math.min(StoppingRule.MIN_PER_SCENARIO, eligible[s])) {
                return null;
            }
        }
        if (!Double.isNaN(rule.standardError())
                && Arrays.stream(ability.standardError()).allMatch(se -> se <= rule.standardError())) {
            return "standardError";
        }
        if (!Double.isNaN(rule.intervalHalfWidth()) && Double.isFinite(reading.overallSd())
                && calibration.halfWidth(reading, -1, level) <= rule.intervalHalfWidth()) {
            return "intervalHalfWidth";
        }
        return null;
    }

    /**
     * The next batch: content-balanced slots, each a randomesque draw among the items of highest gain, or in a
     * sampled scenario a uniform draw among its sub-scenario's items not yet asked.
     */
    static int[] choose(AdaptiveDesign design, boolean[] sampled, int[] asked, double[] theta, double[] covariance,
            int k, SplittableRandom random) {
        ItemBank bank = design.bank();
        int d = bank.dimensions();
        int n = bank.items();
        boolean[] taken = new boolean[n];
        for (int j : asked) {
            taken[j] = true;
        }
        int scenarios = design.scenarios();
        int subscenarios = Arrays.stream(design.subscenarioOfItem()).max().orElse(0) + 1;
        int[] askedIn = new int[scenarios];
        int[][] askedSub = new int[scenarios][subscenarios];
        double[][] sizeSub = new double[scenarios][subscenarios];
        // a sampled scenario allocates by each sub-scenario's share of the balance weight (which its full score
        // gives it), an adaptive one by size
        double[][] shareSub = new double[scenarios][subscenarios];
        for (int j = 0; j < n; j++) {
            sizeSub[design.scenarioOfItem()[j]][design.subscenarioOfItem()[j]]++;
            shareSub[design.scenarioOfItem()[j]][design.subscenarioOfItem()[j]] += design.balance()[j];
        }
        for (int j : asked) {
            askedIn[design.scenarioOfItem()[j]]++;
            askedSub[design.scenarioOfItem()[j]][design.subscenarioOfItem()[j]]++;
        }
        // gain of every candidate at the batch's ability: g' C g / v
        double[] gain = new double[n];
        double[] g = new double[d];
        for (int j = 0; j < n; j++) {
            if (!design.eligible()[j] || taken[j]) {
                gain[j] = Double.NaN;
                continue;
            }
            double p = bank.probability(j, theta, g);
            double v = Math.max(p * (1 - p), 1e-12);
            gain[j] = quadratic(g, covariance, d) / v;
        }
        List<Integer> chosen = new ArrayList<>();
        for (int slot = 0; slot < k; slot++) {
            int scenario = -1;
            int subscenario = -1;
            for (int s = 0; s < scenarios; s++) {
                if (scenario >= 0 && askedIn[s] >= askedIn[scenario]) {
                    continue;
                }
                int sub = leastAskedSubscenario(design, gain, s, askedSub[s], sampled[s] ? shareSub[s] : sizeSub[s]);
                if (sub >= 0) {
                    scenario = s;
                    subscenario = sub;
                }
            }
            if (scenario < 0) {
                break; // nothing eligible is left
            }
            int item = sampled[scenario] ? uniform(design, gain, scenario, subscenario, random)
                    : randomesque(design, gain, scenario, subscenario, random);
            gain[item] = Double.NaN;
            askedIn[scenario]++;
            askedSub[scenario][subscenario]++;
            chosen.add(item);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The available sub-scenario of least asked / size ({@code size}: its item count, or its balance share). */
    private static int leastAskedSubscenario(AdaptiveDesign design, double[] gain, int scenario, int[] asked,
            double[] size) {
        boolean[] available = new boolean[size.length];
        for (int j = 0; j < gain.length; j++) {
            if (!Double.isNaN(gain[j]) && design.scenarioOfItem()[j] == scenario) {
                available[design.subscenarioOfItem()[j]] = true;
            }
        }
        int best = -1;
        for (int sub = 0; sub < size.length; sub++) {
            if (available[sub] && (best < 0 || asked[sub] / size[sub] < asked[best] / size[best])) {
                best = sub;
            }
        }
        return best;
    }

    /** A sampled scenario's slot: a uniform draw among the sub-scenario's eligible items not yet asked. */
    private static int uniform(AdaptiveDesign design, double[] gain, int scenario, int subscenario,
            SplittableRandom random) {
        int[] candidates = java.util.stream.IntStream.range(0, gain.length).filter(j -> !Double.isNaN(gain[j])
                && design.scenarioOfItem()[j] == scenario && design.subscenarioOfItem()[j] == subscenario).toArray();
        return candidates[random.nextInt(candidates.length)];
    }

    private static int randomesque(AdaptiveDesign design, double[] gain, int scenario, int subscenario,
            SplittableRandom random) {
        int[] top = new int[RANDOMESQUE];
        Arrays.fill(top, -1);
        for (int j = 0; j < gain.length; j++) {
            if (Double.isNaN(gain[j]) || design.scenarioOfItem()[j] != scenario
                    || design.subscenarioOfItem()[j] != subscenario) {
                continue;
            }
            // keep the RANDOMESQUE highest gains, in descending order
            int at = RANDOMESQUE;
            while (at > 0 && (top[at - 1] < 0 || gain[top[at - 1]] < gain[j])) {
                at--;
            }
            if (at < RANDOMESQUE) {
                System.arraycopy(top, at, top, at + 1, RANDOMESQUE - at - 1);
                top[at] = j;
            }
        }
        int count = (int) Arrays.stream(top).filter(j -> j >= 0).count();
        return top[random.nextInt(count)];
    }
}
