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
