package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * tinyBenchmarks' {@code get_random}: per scenario, n items spread as evenly as possible over its sub-scenarios
 * (n / S each, the remainder to the first sub-scenarios of a shuffled order), drawn without replacement; a
 * sub-scenario with too few items gives its share to the others. Each sub-scenario's picks share that
 * sub-scenario's part of the scenario score equally: with equal quotas every weight is 1/n, as in the package, and
 * with unequal ones (short sub-scenarios) the weighted mean stays unbiased for the mean of sub-scenario means. (An
 * earlier version weighted picks by their balance weights, 1/n_k, which over-weights small sub-scenarios whenever
 * quotas are equal.)
 */
public final class RandomSelection {

    private RandomSelection() {
    }

    public static Subset select(SelectionInput input, Budget budget, long seed, boolean[] excluded) {
        return draw("random", input, budget, seed, excluded, (group, quota, share, random, picks) -> {
            List<Integer> members = new ArrayList<>(group);
            shuffle(members, random);
            for (int j : members.subList(0, quota)) {
                picks.add(j, share / quota);
            }
        });
    }

    /** Where a group's draws go: an item and its weight. */
    interface Picks {
        void add(int item, double weight);
    }

    /** How one sub-scenario's items are drawn, given its quota (maybe 0) and its part of the scenario score. */
    interface GroupDraw {
        void draw(List<Integer> group, int quota, double share, SplittableRandom random, Picks picks);
    }

    /**
     * A subset drawn per scenario and sub-scenario: the budget spread over scenarios, each scenario's quota over its
     * sub-scenarios ({@link #quotas}), and each sub-scenario, in the shuffled order, drawn by {@code draw} with its
     * share of the scenario score ({@link Quotas#shares}).
     */
    static Subset draw(String method, SelectionInput input, Budget budget, long seed, boolean[] excluded,
            GroupDraw draw) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] balance = input.balanceWeights();
        int scenarios = input.scenarios();
        int[] sizes = new int[scenarios];
        for (int s = 0; s < scenarios; s++) {
            sizes[s] = available(input.itemsOf(s), excluded).size();
        }
        int[] perScenario = budget.perScenario(sizes);
        List<Integer> chosen = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            Map<Integer, List<Integer>> bySubscenario = new TreeMap<>();
            for (int j : available(input.itemsOf(s), excluded)) {
                bySubscenario.computeIfAbsent(input.subscenarioOfItem()[j], k -> new ArrayList<>()).add(j);
            }
            Quotas quotas = quotas(new ArrayList<>(bySubscenario.values()), perScenario[s], random);
            double[] share = quotas.shares(balance);
            for (int g = 0; g < quotas.order().size(); g++) {
                draw.draw(quotas.order().get(g), quotas.quota()[g], share[g], random, (item, weight) -> {
                    chosen.add(item);
                    weights.add(weight);
                });
            }
        }
        return new Subset(method, Map.of(), seed, chosen.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), perScenario, Subset.Diagnostics.none());
    }

    /** The groups in a shuffled order, and each one's quota in that order. */
    record Quotas(List<List<Integer>> order, int[] quota) {

        /**
         * Each group's part of the scenario score: its items' balance weights over those of every group with a
         * quota (0 without one), so that the picks of each group sharing its part keep the weighted mean unbiased
         * for the mean of sub-scenario means whatever the quotas.
         */
        double[] shares(double[] balance) {
            double[] target = new double[order.size()];
            double covered = 0;
            for (int g = 0; g < target.length; g++) {
                for (int j : order.get(g)) {
                    target[g] += balance[j];
                }
                covered += quota[g] > 0 ? target[g] : 0;
            }
            double[] share = new double[target.length];
            for (int g = 0; g < share.length; g++) {
                share[g] = quota[g] > 0 ? target[g] / covered : 0;
            }
            return share;
        }
    }

    /** n spread over the groups: n / S each, the remainder to the first of a shuffled order; short ones pass on. */
    static Quotas quotas(List<List<Integer>> groups, int n, SplittableRandom random) {
        List<List<Integer>> order = new ArrayList<>(groups);
        shuffle(order, random);
        int[] quota = new int[order.size()];
        int left = n;
        // n / S each, the remainder to the first groups of the shuffled order; a short group passes on its share
        while (left > 0) {
            int open = 0;
            for (int g = 0; g < order.size(); g++) {
                if (quota[g] < order.get(g).size()) {
                    open++;
                }
            }
            if (open == 0) {
                break;
            }
            int share = Math.max(1, left / open);
            for (int g = 0; g < order.size() && left > 0; g++) {
                int take = Math.min(Math.min(share, left), order.get(g).size() - quota[g]);
                quota[g] += take;
                left -= take;
            }
        }
        return new Quotas(order, quota);
    }

    static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            T swap = list.get(i);
            list.set(i, list.get(k));
            list.set(k, swap);
        }
    }

    static List<Integer> available(int[] items, boolean[] excluded) {
        List<Integer> kept = new ArrayList<>();
        for (int j : items) {
            if (excluded == null || !excluded[j]) {
                kept.add(j);
            }
        }
        return kept;
    }
}
