package dev.itembank.psychometrics.selection;

import java.util.List;
import java.util.Map;

/**
 * A selected subset: the items in order with a weight each (weights sum to 1 within each scenario, so a
 * scenario's estimated score is the weighted sum of its items' scores), and how it was made.
 *
 * @param method the method's name
 * @param parameters the method's parameters, as text
 * @param seed the seed it was made with: the same input and seed give the same subset
 * @param items selected item indices, grouped by scenario in scenario order
 * @param weights one per selected item
 * @param budget items per scenario asked for
 * @param diagnostics what the method reports about itself
 */
public record Subset(String method, Map<String, String> parameters, long seed, int[] items, double[] weights,
        int[] budget, Diagnostics diagnostics) {

    public Subset {
        if (items.length != weights.length) {
            throw new IllegalArgumentException("items and weights differ in length");
        }
    }

    /** The methods whose subsets are random samples with known inclusion probabilities (design-unbiased readings). */
    public static final java.util.Set<String> RANDOM_SAMPLES = java.util.Set.of("random", "stratified");

    /** The method that picked the items: the one {@code auto} chose (its {@code chosen} parameter), else the method. */
    public String madeBy() {
        return parameters.getOrDefault("chosen", method);
    }

    /**
     * @param inertia per scenario, the weighted k-means inertia of the kept clustering (anchor methods), or null
     * @param fitnessHistory best fitness per generation (genetic search), or null
     * @param dropped items dropped before the search, with the reason, or empty
     * @param notes anything else worth knowing
     */
    public record Diagnostics(double[] inertia, double[] fitnessHistory, List<Dropped> dropped, List<String> notes) {

        public static Diagnostics none() {
            return new Diagnostics(null, null, List.of(), List.of());
        }
    }

    public record Dropped(int item, String reason) {
    }
}
