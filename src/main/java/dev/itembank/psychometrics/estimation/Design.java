package dev.itembank.psychometrics.estimation;

import java.util.Arrays;

import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.selection.Subset;

/**
 * What a subset's answers are read against: the calibration over every item of the benchmark (null when there is
 * none), each item's scenario and balance weight, and the subset itself. Its random part and AIPW's weights are
 * worked out once here: every reading of every model reads them.
 */
public final class Design {

    private final ItemBank items;
    private final int[] scenarioOfItem;
    private final double[] balance;
    private final Subset subset;
    private final boolean[] randomPart;
    private final double[] aipwWeights;

    public Design(ItemBank items, int[] scenarioOfItem, double[] balance, Subset subset) {
        this.items = items;
        this.scenarioOfItem = scenarioOfItem;
        this.balance = balance;
        this.subset = subset;
        this.randomPart = dev.itembank.psychometrics.selection.HybridSelection.randomPart(subset, scenarioOfItem);
        this.aipwWeights = aipwWeights(subset, scenarioOfItem, randomPart);
    }

    public ItemBank items() {
        return items;
    }

    public int[] scenarioOfItem() {
        return scenarioOfItem;
    }

    public double[] balance() {
        return balance;
    }

    public Subset subset() {
        return subset;
    }

    public int scenarios() {
        return Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
    }

    /** The subset's items in a scenario. */
    public int itemsIn(int scenario) {
        return (int) Arrays.stream(subset.items()).filter(j -> scenarioOfItem[j] == scenario).count();
    }

    /**
     * Whether the subset is a random sample (made by {@code random} or {@code stratified}, or {@code auto} chose
     * one): only then are the design-unbiased readings (the weighted mean, AIPW) unbiased.
     */
    public boolean randomSample() {
        return Subset.RANDOM_SAMPLES.contains(subset.madeBy());
    }

    /**
     * Whether the subset is a stratified sample ({@code stratified}, or {@code auto} chose one): one item per
     * stratum of difficulty, the strata of a sub-scenario in ascending order along the subset, so that neighbouring
     * items of a scenario stand for neighbouring strata (the sampling error is then read from their differences,
     * {@link Reading}).
     */
    public boolean stratified() {
        return randomPart == null
                && dev.itembank.psychometrics.selection.Selection.Method.STRATIFIED.code().equals(subset.madeBy());
    }

    /** The most post-strata per scenario ({@link #postStrata}). */
    static final int POST_STRATA = 5;

    private final PostStrata[] postStrata = new PostStrata[POST_STRATA + 1];

    /**
     * Whether the plain mean of the subset's random sample (a random subset, or the random part of a searched one) is
     * read post-stratified ({@link Reading}): there is a calibration to order the items by, and the sample is a simple
     * random one (a stratified sample is stratified already).
     */
    public boolean postStratified() {
        return items != null && !stratified() && (randomPart != null || randomSample());
    }

    /**
     * Each scenario cut into {@code strata} post-strata: its items ordered by their predicted score at the
     * calibration's mean ability, P_j(0), and cut where the running share of their balance weights crosses h /
     * strata.
     *
     * @param stratum per item, its post-stratum
     * @param share per scenario s and post-stratum h, at s strata + h: h's share of s's balance weight
     */
    record PostStrata(int[] stratum, double[] share) {
    }

    /** The post-strata for {@code strata} per scenario (2 to {@link #POST_STRATA}), worked out once. */
    synchronized PostStrata postStrata(int strata) {
        if (postStrata[strata] == null) {
            int scenarios = scenarios();
            int[] stratum = new int[scenarioOfItem.length];
            double[] share = new double[scenarios * strata];
            double[] easiness = new double[scenarioOfItem.length];
            double[] origin = new double[items.dimensions()];
            double[] total = new double[scenarios];
            for (int j = 0; j < easiness.length; j++) {
                easiness[j] = items.probability(j, origin);
                total[scenarioOfItem[j]] += balance[j];
            }
            int[] order = java.util.stream.IntStream.range(0, easiness.length).boxed()
                    .sorted(java.util.Comparator.comparingDouble((Integer j) -> easiness[j]))
                    .mapToInt(Integer::intValue).toArray();
            double[] running = new double[scenarios];
            for (int j : order) {
                int s = scenarioOfItem[j];
                int h = Math.min(strata - 1, (int) (strata * running[s] / total[s]));
                stratum[j] = h;
                share[s * strata + h] += balance[j] / total[s];
                running[s] += balance[j];
            }
            postStrata[strata] = new PostStrata(stratum, share);
        }
        return postStrata[strata];
    }

    /**
     * Per position of the subset's items, whether it is in the subset's random part
     * ({@link dev.itembank.psychometrics.selection.HybridSelection}); null without one.
     */
    public boolean[] randomPart() {
        return randomPart;
    }

    /**
     * The weights AIPW's residual correction reads the subset's items with: on a subset with a random part, that
     * part's weights (0 elsewhere) in the scenarios that have one; else the subset's weights.
     */
    public double[] aipwWeights() {
        return aipwWeights;
    }

    private static double[] aipwWeights(Subset subset, int[] scenarioOfItem, boolean[] random) {
        double[] weights = subset.weights();
        if (random == null) {
            return weights;
        }
        boolean[] hasPart = new boolean[Arrays.stream(scenarioOfItem).max().orElse(0) + 1];
        for (int k = 0; k < random.length; k++) {
            hasPart[scenarioOfItem[subset.items()[k]]] |= random[k];
        }
        double[] aipw = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            aipw[k] = random[k] || !hasPart[scenarioOfItem[subset.items()[k]]] ? weights[k] : 0;
        }
        return aipw;
    }

    /** The same design with another subset (a fold's). */
    public Design with(ItemBank otherItems, Subset otherSubset) {
        return new Design(otherItems, scenarioOfItem, balance, otherSubset);
    }
}
