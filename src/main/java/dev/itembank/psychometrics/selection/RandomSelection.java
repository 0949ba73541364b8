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
            List<Integer> picked = stratified(new ArrayList<>(bySubscenario.values()), perScenario[s], random);
            // each sub-scenario's picks share its part of the scenario score (the balance weight of its items), so
            // that the weighted mean is unbiased for the mean of sub-scenario means whatever the quotas
            Map<Integer, Double> target = new TreeMap<>();
            Map<Integer, Integer> quota = new TreeMap<>();
            for (int j : available(input.itemsOf(s), excluded)) {
                target.merge(input.subscenarioOfItem()[j], balance[j], Double::sum);
            }
            for (int j : picked) {
                quota.merge(input.subscenarioOfItem()[j], 1, Integer::sum);
            }
            double covered = quota.keySet().stream().mapToDouble(target::get).sum();
            for (int j : picked) {
                int k = input.subscenarioOfItem()[j];
                chosen.add(j);
                weights.add(target.get(k) / covered / quota.get(k));
            }
        }
        return new Subset("random", Map.of(), seed, chosen.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), perScenario, Subset.Diagnostics.none());
    }

    private static List<Integer> stratified(List<List<Integer>> groups, int n, SplittableRandom random) {
        Quotas quotas = quotas(groups, n, random);
        List<List<Integer>> order = quotas.order();
        List<Integer> picked = new ArrayList<>();
        for (int g = 0; g < order.size(); g++) {
            List<Integer> members = new ArrayList<>(order.get(g));
            shuffle(members, random);
            picked.addAll(members.subList(0, quotas.quota()[g]));
        }
        return picked;
    }

    /** The groups in a shuffled order, and each one's quota in that order. */
    record Quotas(List<List<Integer>> order, int[] quota) {
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
