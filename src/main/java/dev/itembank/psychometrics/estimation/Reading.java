package dev.itembank.psychometrics.estimation;

import dev.itembank.psychometrics.irt.AbilityEstimator;
import dev.itembank.psychometrics.irt.AbilityMethod;

/**
 * The estimator-independent readings of one model's answers on a subset, per scenario s, as tinyBenchmarks
 * defines them (S_s the answered subset items of s, U_s the other items of s, b the balance weights, w the subset
 * weights, N_s the items of s):
 * <pre>
 *   mean_s     = mean_{k in S_s} y_k
 *   weighted_s = sum_{k in S_s} w_k y_k / sum_{k in S_s} w_k             (the package's "irt" key)
 *   irt_s      = mean_{i in U_s} b_i P_i(theta)
 *   pirt_s     = l_s mean_{k in S_s} b_k y_k + (1 - l_s) irt_s            l_s = |S_s| / N_s
 *   aipw_s     = sum_{i in s} b_i P_i(theta) / sum_{i in s} b_i
 *                + sum_{k in R_s} w_k (y_k - P_k(theta)) / sum_{k in R_s} w_k
 * </pre>
 * with R_s the subset's random part in s where it has one ({@link Design#aipwWeights()}, weights v), else S_s;
 * and the design-based reading, unbiased on R_s whatever the calibration makes of the model:
 * <pre>
 *   ht_s       = sum_{k in R_s} v_k y_k / sum_{k in R_s} v_k                 (Horvitz-Thompson on R_s)
 *   se(x)      = sqrt(n / (n - 1) sum_{k in R_s} v_k^2 (x_k - xbar)^2) / sum_{k in R_s} v_k,  n = |R_s|
 *   aipwError_s = se(y - P(theta))
 *   htError_s  = se(y);  design_s = aipw_s if aipwError_s <= htError_s, else ht_s;  designError_s = the smaller
 * </pre>
 * where, for 0/1 answers, se(y)'s spread is at least p~ (1 - p~) sum_k v_k^2, p~ = (sum v_k y_k + vbar) /
 * (sum v_k + 2 vbar), vbar the mean weight: the plus-two adjustment of a proportion (Agresti and Coull, 1998), so
 * that a random part answered all right does not claim no sampling error (on openllm-ifeval's extrapolation split
 * at 50 items, 15 of them random, such parts took the plain mean over AIPW and missed by 0.092 against its 0.072).
 * AIPW's correction has the variance of the residuals y - P(theta): less than the answers' own where the
 * calibration predicts the model's items, more where it does not (a model beyond the training models, items
 * calibrated on weaker ones: in one run of glue-mrpc's extrapolation split AIPW missed the strong models by 0.095,
 * this reading by 0.041). Each model's own answers say which is the case; both readings are
 * unbiased on a random part, and the choice between them is made on their sampling errors, not on the answers'
 * level. Without a calibration design_s = ht_s. Where fewer than two items of R_s are answered, the errors are
 * {@link #UNKNOWN_ERROR}. On a stratified sample ({@link Design#stratified()}: one item per stratum of difficulty) the
 * simple-random-sample formula would claim for the plain mean the between-strata variance the strata took out; there
 * <pre>
 *   htError_s  = sqrt(sum_{k in R_s} v_k^2 s_k^2) / sum_{k in R_s} v_k,   s_k^2 = mean over the neighbours m of k of
 *                (y_k - y_m)^2 / 2
 * </pre>
 * the neighbours being the items before and after k in R_s (the neighbouring strata: the collapsed-strata estimator,
 * Cochran 1977, 5A.12, wide by the step between neighbouring strata's means), with the plus-two floor only where every
 * such difference is 0 (the floor is a simple random sample's variance). AIPW's error keeps the simple-random-sample
 * formula there (wide): on a stratified sample it serves only the test of lying beyond the training models
 * ({@code EstimationModel}), which was designed and measured with that formula (read from neighbouring strata instead,
 * the interpolation summary did not move: mmlu-pro and openllm-ifeval to the fourth digit).
 * On a simple random sample with a calibration ({@link Design#postStratified()}: a random subset, or a searched
 * subset's random part) the plain mean in that choice is post-stratified: R_s's items fall into the scenario's
 * post-strata (its items cut by their predicted score at the mean ability into equal shares of balance weight), and
 * post_s, the strata's weighted means weighed by their shares ({@link #postStratified}), with its standard error
 * replaces ht_s and htError_s there (ht_s and htError_s themselves stay the plain mean's, as the {@code weighted}
 * fallback reads). Like stratification it takes out of the mean's variance the part that difficulty explains, for any
 * model, one beyond the training models included, without AIPW's reliance on an ability fitted to the same answers:
 * on WMDP's weak half, 50 random items per scenario, a strong model whose answers reverse what the calibration
 * expects is read at 0.027 against the plain mean's 0.051 and AIPW's 0.065 ({@code ExtrapolationTest}).
 * aipw is the augmented inverse-probability-weighted reading (Zhang, Dorner and Hardt, 2025): the IRT model's
 * prediction of the whole scenario, corrected by the subset's weighted mean residual. On a random subset whose
 * weights make the weighted mean unbiased, the correction removes the model's bias whatever it is, so the reading
 * stays unbiased for a new model the calibration describes badly (one stronger than every training model); the
 * prediction only lowers its variance.
 * theta is the maximum-likelihood ability from all answered subset items jointly (BFGS from 0, as the package);
 * thetaMap the maximum a posteriori one under N(0, I), as metabench reads abilities. Without a calibration, both
 * abilities, irt and pirt are absent (null or NaN). {@code answers} are the answers themselves, in subset order.
 *
 * @see <a href="https://arxiv.org/abs/2402.14992">Maia Polo et al. (2024), tinyBenchmarks</a>
 */
public record Reading(double[] mean, double[] weighted, double[] irt, double[] pirt, double[] aipw, double[] aipwError,
        double[] design, double[] htError, double[] postError, double[] theta, double[] thetaMap, double[] answers) {

    /**
     * The design-based reading's sampling error in scenario s: the smaller of AIPW's and the plain mean's (the
     * post-stratified mean's where there is one).
     */
    public double designError(int s) {
        double plain = Double.isNaN(postError[s]) ? htError[s] : postError[s];
        return Double.isNaN(aipwError[s]) ? plain : Math.min(plain, aipwError[s]);
    }

    /** The sampling error taken where the answers cannot estimate it: a 90% interval of +-0.5. */
    public static final double UNKNOWN_ERROR = 0.5 / 1.6448536269514722;

    /** Reads one model's answers (in subset order; NaN for unanswered). */
    public static Reading of(Design design, double[] answers) {
        int scenarios = design.scenarios();
        int[] subset = design.subset().items();
        double[] weights = design.subset().weights();
        int[] scenarioOf = design.scenarioOfItem();
        double[] balance = design.balance();
        double[] mean = new double[scenarios];
        double[] weighted = new double[scenarios];
        double[] weightSum = new double[scenarios];
        double[] balanced = new double[scenarios];
        int[] answered = new int[scenarios];
        boolean[] seen = new boolean[scenarioOf.length];
        for (int k = 0; k < subset.length; k++) {
            int j = subset[k];
            if (Double.isNaN(answers[k])) {
                continue;
            }
            seen[j] = true;
            int s = scenarioOf[j];
            mean[s] += answers[k];
            weighted[s] += weights[k] * answers[k];
            weightSum[s] += weights[k];
            balanced[s] += balance[j] * answers[k];
            answered[s]++;
        }
        double[] theta = design.items() == null ? null
                : AbilityEstimator.estimate(design.items(), subset, answers, AbilityMethod.MLE).theta();
        double[] predicted = new double[scenarios];
        int[] others = new int[scenarios];
        int[] total = new int[scenarios];
        double[] predictedAll = new double[scenarios];
        double[] balanceAll = new double[scenarios];
        for (int j = 0; j < scenarioOf.length; j++) {
            int s = scenarioOf[j];
            total[s]++;
            if (theta != null) {
                double p = design.items().probability(j, theta);
                predictedAll[s] += balance[j] * p;
                balanceAll[s] += balance[j];
                if (!seen[j]) {
                    predicted[s] += balance[j] * p;
                    others[s]++;
                }
            }
        }
        // on R_s (the random part where there is one): AIPW's correction, the weighted mean residual, and the
        // Horvitz-Thompson mean, in one pass; then the spreads of both about their means
        double[] aipwWeights = design.aipwWeights();
        double[] residual = new double[scenarios];
        double[] residualWeight = new double[scenarios];
        double[] ht = new double[scenarios];
        double[] htWeight = new double[scenarios];
        int[] htCount = new int[scenarios];
        double[] residuals = new double[subset.length];
        for (int k = 0; k < subset.length; k++) {
            if (!Double.isNaN(answers[k]) && aipwWeights[k] > 0) {
                int j = subset[k];
                int s = scenarioOf[j];
                ht[s] += aipwWeights[k] * answers[k];
                htWeight[s] += aipwWeights[k];
                htCount[s]++;
                if (theta != null) {
                    residuals[k] = answers[k] - design.items().probability(j, theta);
                    residual[s] += aipwWeights[k] * residuals[k];
                    residualWeight[s] += aipwWeights[k];
                }
            }
        }
        boolean stratified = design.stratified();
        // one item per stratum: the plain mean's spread from neighbouring strata (stratifiedSpread), else
        // about its mean, accumulated below
        double[] htSpread = stratified ? stratifiedSpread(design, answers, scenarios) : new double[scenarios];
        double[] residualSpread = new double[scenarios];
        double[] squaredWeights = new double[scenarios];
        boolean[] binary = new boolean[scenarios];
        java.util.Arrays.fill(binary, true);
        for (int k = 0; k < subset.length; k++) {
            if (!Double.isNaN(answers[k]) && aipwWeights[k] > 0) {
                int s = scenarioOf[subset[k]];
                double v2 = aipwWeights[k] * aipwWeights[k];
                double gap = answers[k] - ht[s] / htWeight[s];
                if (!stratified) {
                    htSpread[s] += v2 * gap * gap;
                }
                squaredWeights[s] += v2;
                binary[s] &= answers[k] == 0 || answers[k] == 1;
                if (theta != null) {
                    double e = residuals[k] - residual[s] / residualWeight[s];
                    residualSpread[s] += v2 * e * e;
                }
            }
        }
        double[] irt = new double[scenarios];
        double[] pirt = new double[scenarios];
        double[] aipw = new double[scenarios];
        double[] aipwErrors = new double[scenarios];
        double[] designBased = new double[scenarios];
        double[] htErrors = new double[scenarios];
        double[] postErrors = new double[scenarios];
        PostStratified post = design.postStratified() ? postStratified(design, answers, htCount) : null;
        for (int s = 0; s < scenarios; s++) {
            mean[s] = answered[s] == 0 ? Double.NaN : mean[s] / answered[s];
            weighted[s] = weightSum[s] == 0 ? Double.NaN : weighted[s] / weightSum[s];
            double share = (double) answered[s] / total[s];
            irt[s] = theta == null || others[s] == 0 ? Double.NaN : predicted[s] / others[s];
            pirt[s] = theta == null ? Double.NaN : share * (answered[s] == 0 ? 0 : balanced[s] / answered[s])
                    + (1 - share) * (others[s] == 0 ? 0 : irt[s]);
            aipw[s] = theta == null || residualWeight[s] == 0 ? Double.NaN
                    : predictedAll[s] / balanceAll[s] + residual[s] / residualWeight[s];
            // plus two: one right and one wrong answer of average weight added to the proportion
            double meanWeight = htCount[s] == 0 ? 0 : htWeight[s] / htCount[s];
            double adjusted = (ht[s] + meanWeight) / (htWeight[s] + 2 * meanWeight);
            double floor = adjusted * (1 - adjusted) * squaredWeights[s];
            double spread = !binary[s] || htCount[s] == 0 ? htSpread[s]
                    : stratified ? (htSpread[s] > 0 ? htSpread[s] : floor) : Math.max(htSpread[s], floor);
            double htError = standardError(spread, htCount[s], htWeight[s], stratified);
            double aipwError = Double.isNaN(aipw[s]) ? Double.POSITIVE_INFINITY
                    : standardError(residualSpread[s], htCount[s], htWeight[s], false);
            aipwErrors[s] = Double.isNaN(aipw[s]) ? Double.NaN : aipwError;
            double plain = htWeight[s] == 0 ? Double.NaN : ht[s] / htWeight[s];
            double plainError = htError;
            postErrors[s] = Double.NaN;
            if (post != null && Double.isFinite(post.estimate()[s])) {
                plain = post.estimate()[s];
                plainError = binary[s] && post.error()[s] == 0 ? htError : post.error()[s];
                postErrors[s] = plainError;
            }
            boolean byAipw = aipwError <= plainError;
            designBased[s] = byAipw ? aipw[s] : plain;
            htErrors[s] = htError;
        }
        double[] thetaMap = design.items() == null ? null
                : AbilityEstimator.estimate(design.items(), subset, answers, AbilityMethod.MAP).theta();
        return new Reading(mean, weighted, irt, pirt, aipw, aipwErrors, designBased, htErrors, postErrors, theta,
                thetaMap, answers.clone());
    }

    /**
     * On a stratified sample, per scenario, sum_k v_k^2 s_k^2 over R_s with s_k^2 from k's neighbours in R_s (the
     * items before and after it, its neighbouring strata: {@link #neighbourVariance}).
     */
    private static double[] stratifiedSpread(Design design, double[] answers, int scenarios) {
        int[] subset = design.subset().items();
        int[] scenarioOf = design.scenarioOfItem();
        double[] v = design.aipwWeights();
        int[] previous = new int[scenarios];
        java.util.Arrays.fill(previous, -1);
        int[] before = new int[subset.length];
        int[] after = new int[subset.length];
        java.util.Arrays.fill(before, -1);
        java.util.Arrays.fill(after, -1);
        for (int k = 0; k < subset.length; k++) {
            if (!Double.isNaN(answers[k]) && v[k] > 0) {
                int s = scenarioOf[subset[k]];
                before[k] = previous[s];
                if (previous[s] >= 0) {
                    after[previous[s]] = k;
                }
                previous[s] = k;
            }
        }
        double[] spread = new double[scenarios];
        for (int k = 0; k < subset.length; k++) {
            if (!Double.isNaN(answers[k]) && v[k] > 0) {
                spread[scenarioOf[subset[k]]] += v[k] * v[k] * neighbourVariance(answers, k, before[k], after[k]);
            }
        }
        return spread;
    }

    /** Per scenario, the post-stratified mean of R_s and its standard error (NaN where not post-stratified). */
    record PostStratified(double[] estimate, double[] error) {
    }

    /**
     * Per scenario s, the post-stratified mean of R_s and its standard error; NaN where R_s has fewer than 10
     * answered items or a post-stratum fewer than 2. With H = min({@value Design#POST_STRATA}, n / 5)
     * post-strata of shares W_h ({@link Design#postStrata}), n the answered items of R_s:
     * <pre>
     *   post_s = sum_h W_h ybar_h,   ybar_h = sum_{k in R_s, h} v_k y_k / sum_{k in R_s, h} v_k
     *   se     = sqrt(sum_h W_h^2 se_h^2),   se_h the weighted mean's standard error within h ({@link #standardError})
     * </pre>
     */
    static PostStratified postStratified(Design design, double[] answers, int[] counts) {
        int scenarios = counts.length;
        int[] subset = design.subset().items();
        double[] v = design.aipwWeights();
        int[] scenarioOf = design.scenarioOfItem();
        // one cell per scenario and post-stratum (scenario s's cells from offset[s]), filled in one pass each
        int[] strata = new int[scenarios];
        int[] offset = new int[scenarios + 1];
        Design.PostStrata[] cuts = new Design.PostStrata[scenarios];
        for (int s = 0; s < scenarios; s++) {
            strata[s] = Math.min(Design.POST_STRATA, counts[s] / 5);
            cuts[s] = strata[s] < 2 ? null : design.postStrata(strata[s]);
            offset[s + 1] = offset[s] + (cuts[s] == null ? 0 : strata[s]);
        }
        double[] weight = new double[offset[scenarios]];
        double[] sum = new double[offset[scenarios]];
        int[] n = new int[offset[scenarios]];
        int[] cell = new int[subset.length];
        java.util.Arrays.fill(cell, -1);
        for (int k = 0; k < subset.length; k++) {
            int s = scenarioOf[subset[k]];
            if (!Double.isNaN(answers[k]) && v[k] > 0 && cuts[s] != null) {
                int c = offset[s] + cuts[s].stratum()[subset[k]];
                cell[k] = c;
                weight[c] += v[k];
                sum[c] += v[k] * answers[k];
                n[c]++;
            }
        }
        double[] spread = new double[offset[scenarios]];
        for (int k = 0; k < subset.length; k++) {
            int c = cell[k];
            if (c >= 0) {
                double gap = answers[k] - sum[c] / weight[c];
                spread[c] += v[k] * v[k] * gap * gap;
            }
        }
        double[] estimates = new double[scenarios];
        double[] errors = new double[scenarios];
        java.util.Arrays.fill(estimates, Double.NaN);
        java.util.Arrays.fill(errors, Double.NaN);
        for (int s = 0; s < scenarios; s++) {
            if (cuts[s] == null || java.util.Arrays.stream(n, offset[s], offset[s + 1]).anyMatch(count -> count < 2)) {
                continue;
            }
            double estimate = 0;
            double variance = 0;
            for (int h = 0; h < strata[s]; h++) {
                int c = offset[s] + h;
                double share = cuts[s].share()[s * strata[s] + h];
                double error = standardError(spread[c], n[c], weight[c], false);
                estimate += share * sum[c] / weight[c];
                variance += share * share * error * error;
            }
            estimates[s] = estimate;
            errors[s] = Math.sqrt(variance);
        }
        return new PostStratified(estimates, errors);
    }

    /**
     * sqrt(n / (n - 1) spread) / weight, spread = sum v_k^2 (x_k - xbar)^2; on a stratified sample sqrt(spread) /
     * weight, spread = sum v_k^2 s_k^2 ({@link #neighbourVariance}); {@link #UNKNOWN_ERROR} below 2 items.
     */
    private static double standardError(double spread, int n, double weight, boolean stratified) {
        return n < 2 || weight == 0 ? UNKNOWN_ERROR
                : Math.sqrt(stratified ? spread : spread * n / (n - 1.0)) / weight;
    }

    /**
     * The variance within item k's stratum, from its neighbouring strata (the collapsed-strata estimator, Cochran
     * 1977, section 5A.12): s_k^2 = mean over the neighbours m of (x_k - x_m)^2 / 2. It also counts the difference
     * between neighbouring strata's means, so it errs wide.
     */
    private static double neighbourVariance(double[] x, int k, int before, int after) {
        double sum = 0;
        int count = 0;
        for (int m : new int[] {before, after}) {
            if (m >= 0) {
                double gap = x[k] - x[m];
                sum += gap * gap / 2;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }
}
