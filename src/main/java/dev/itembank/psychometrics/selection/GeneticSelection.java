package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.Mutator;
import io.jenetics.TournamentSelector;
import io.jenetics.UniformCrossover;
import io.jenetics.engine.Codec;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.util.RandomRegistry;

import dev.itembank.psychometrics.irt.Simulation;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * EssenceBench-style selection, per scenario: coarse redundancy filtering (an item whose text embedding, when
 * given, or whose response pattern across the training models is nearly identical to a kept item's is
 * dropped), then a genetic search (Jenetics) over fixed-size subsets whose fitness is the cross-validated error of
 * the scenario's full score predicted from the subset by a proxy regressor ({@link ProxyFitness}), then
 * attribution-guided refinement: the best subset's items are ranked by how much the fitness suffers without
 * them; the high third is kept and the search runs again for the rest among the remaining items.
 *
 * @see <a href="https://arxiv.org/abs/2510.10457">Wang et al. (2025), EssenceBench</a>
 */
public final class GeneticSelection {

    private GeneticSelection() {
    }

    /**
     * @param populationSize individuals per generation
     * @param generations generations per search stage
     * @param patternAgreement drop an item agreeing with a kept one on at least this share of training models
     * @param textSimilarity drop an item whose embedding has at least this cosine similarity with a kept one's
     */
    public record Options(int populationSize, int generations, double patternAgreement, double textSimilarity) {

        public Options {
            if (populationSize < 4 || generations < 1) {
                throw new IllegalArgumentException("need populationSize >= 4 and generations >= 1");
            }
        }

        public static Options defaults() {
            return new Options(100, 150, 0.99, 0.95);
        }
    }

    /**
     * @param embeddings one text embedding per item (all items of the input), or null when the items have no text
     */
    public static Subset select(SelectionInput input, Budget budget, long seed, boolean[] excluded,
            double[][] embeddings, Options options) {
        ResponseMatrix responses = input.responses();
        double[] balance = input.balanceWeights();
        int scenarios = input.scenarios();
        List<Subset.Dropped> dropped = new ArrayList<>();
        int[][] pools = new int[scenarios][];
        int[] sizes = new int[scenarios];
        int[][] available = new int[scenarios][];
        for (int s = 0; s < scenarios; s++) {
            available[s] = Arrays.stream(input.itemsOf(s)).filter(j -> excluded == null || !excluded[j]).toArray();
            sizes[s] = available[s].length;
        }
        // the budget is what the scenario holds, not what survives the redundancy filter: when too few survive,
        // the filtered items come back, in the order they were dropped, until the budget is met (and the notes say so)
        int[] perScenario = budget.perScenario(sizes);
        List<String> notes = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            List<Subset.Dropped> droppedHere = new ArrayList<>();
            int[] pool = Redundancy.filter(responses, available[s], embeddings, options, droppedHere);
            int missing = perScenario[s] - pool.length;
            if (missing > 0) {
                int[] back = droppedHere.stream().limit(missing).mapToInt(Subset.Dropped::item).toArray();
                pool = java.util.stream.IntStream.concat(Arrays.stream(pool), Arrays.stream(back)).toArray();
                droppedHere = new ArrayList<>(droppedHere.subList(back.length, droppedHere.size()));
                notes.add("scenario " + s + ": " + back.length + " redundant items kept to meet the budget of "
                        + perScenario[s]);
            }
            dropped.addAll(droppedHere);
            pools[s] = pool;
        }
        List<Integer> chosen = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Double> history = new ArrayList<>();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("populationSize", String.valueOf(options.populationSize()));
        parameters.put("generations", String.valueOf(options.generations()));
        parameters.put("patternAgreement", String.valueOf(options.patternAgreement()));
        parameters.put("textSimilarity", embeddings == null ? "no text" : String.valueOf(options.textSimilarity()));
        for (int s = 0; s < scenarios; s++) {
            int[] pool = pools[s];
            ProxyFitness fitness = fitness(input, s, pool, seed);
            int[] best = search(fitness, pool.length, perScenario[s], new int[0], seed, options, history);
            best = refine(fitness, pool.length, best, seed, options, history, notes);
            double[] line = fitness.line(best);
            parameters.put("proxy." + s, String.format("score = %.6f + %.6f * subset mean", line[0], line[1]));
            double total = Arrays.stream(best).mapToDouble(k -> balance[pool[k]]).sum();
            for (int k : best) {
                chosen.add(pool[k]);
                weights.add(balance[pool[k]] / total);
            }
        }
        return new Subset("genetic", parameters, seed, chosen.stream().mapToInt(Integer::intValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), perScenario,
                new Subset.Diagnostics(null, history.stream().mapToDouble(Double::doubleValue).toArray(), dropped,
                        notes));
    }

    private static ProxyFitness fitness(SelectionInput input, int scenario, int[] pool, long seed) {
        ResponseMatrix responses = input.responses();
        int models = responses.models();
        float[] scores = new float[models * pool.length];
        double[] target = new double[models];
        int[] scenarioItems = input.itemsOf(scenario);
        double[] row = new double[responses.items()];
        for (int l = 0; l < models; l++) {
            responses.row(l, row);
            for (int k = 0; k < pool.length; k++) {
                scores[l * pool.length + k] = (float) row[pool[k]];
            }
            double sum = 0;
            int count = 0;
            for (int j : scenarioItems) {
                if (!Double.isNaN(row[j])) {
                    sum += row[j];
                    count++;
                }
            }
            target[l] = count == 0 ? 0 : sum / count;
        }
        int[] fold = Simulation.folds(models, ProxyFitness.FOLDS, new SplittableRandom(seed));
        return new ProxyFitness(scores, models, pool.length, target, fold);
    }

    /**
     * A genetic search for {@code size} pool positions besides the {@code fixed} ones, minimising the proxy's
     * error; returns fixed + found, and appends each generation's best fitness to {@code history}.
     */
    static int[] search(ProxyFitness fitness, int poolSize, int size, int[] fixed, long seed, Options options,
            List<Double> history) {
        boolean[] taken = new boolean[poolSize];
        for (int k : fixed) {
            taken[k] = true;
        }
        int[] free = IntStream.range(0, poolSize).filter(k -> !taken[k]).toArray();
        int wanted = Math.min(size, free.length);
        if (wanted == 0) {
            return fixed.clone();
        }
        if (wanted == free.length) {
            return concat(fixed, free);
        }
        Codec<int[], IntegerGene> codec = Codec.of(
                Genotype.of(IntegerChromosome.of(0, free.length - 1, wanted)),
                genotype -> concat(fixed, decode(genotype, free)));
        Engine<IntegerGene, Double> engine = Engine.builder(fitness::error, codec)
                .minimizing()
                .populationSize(options.populationSize())
                .survivorsSelector(new TournamentSelector<>(3))
                .offspringSelector(new TournamentSelector<>(3))
                .alterers(new UniformCrossover<>(0.3, 0.3), new Mutator<>(Math.min(1.0, 2.0 / wanted)))
                .executor(Runnable::run) // one thread, so that the seed alone decides the result
                .build();
        EvolutionResult<IntegerGene, Double> result = RandomRegistry.with(new SplittableRandom(seed), random ->
                engine.stream()
                        .limit(options.generations())
                        .peek(generation -> history.add(generation.bestFitness()))
                        .collect(EvolutionResult.toBestEvolutionResult()));
        return codec.decode(result.bestPhenotype().genotype());
    }

    /** Rounds of attribution-guided refinement (each: the low, a random and the high attribution group). */
    static final int ROUNDS = 2;

    /** The attribution groups a refinement round works on, in order. */
    enum Group {
        /** Replace the third of lowest attribution, keeping the rest. */
        LOW,
        /** Replace a random third, keeping the rest (exploration). */
        RANDOM,
        /** Keep the third of highest attribution, search again for the rest. */
        HIGH
    }

    /**
     * EssenceBench's attribution-based search, iterated: each item of the current best subset is attributed the
     * loss of fit without it; per round, for the low, a random and the high attribution group in turn, the items
     * outside the group's keep-set are searched again (half the generations) with the others fixed, and a better
     * subset replaces the current one. Stops after {@link #ROUNDS} rounds or a round without improvement. (Our
     * reading of the paper's "attribution groups, coarse to fine": its grouping rule is not published; attribution
     * is leave-one-out loss of the proxy fit instead of an Explainable Boosting Machine's.) Each improvement is noted.
     */
    private static int[] refine(ProxyFitness fitness, int poolSize, int[] best, long seed, Options options,
            List<Double> history, List<String> notes) {
        if (best.length < 3) {
            return best;
        }
        Options half = new Options(options.populationSize(), Math.max(1, options.generations() / 2),
                options.patternAgreement(), options.textSimilarity());
        SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int[] current = best;
        double error = fitness.error(current);
        for (int round = 0; round < ROUNDS; round++) {
            boolean improved = false;
            for (Group group : Group.values()) {
                int[] kept = keep(current, attribution(fitness, current), group, random);
                int[] candidate = search(fitness, poolSize, current.length - kept.length, kept,
                        seed + 1 + 3L * round + group.ordinal(), half, history);
                double candidateError = fitness.error(candidate);
                if (candidateError < error) {
                    notes.add(String.format("attribution round %d, %s group: proxy error %.5f -> %.5f", round + 1,
                            group.name().toLowerCase(java.util.Locale.ROOT), error, candidateError));
                    current = candidate;
                    error = candidateError;
                    improved = true;
                }
            }
            if (!improved) {
                break;
            }
        }
        return current;
    }

    /** Each item's attribution: how much the proxy's error grows without it. */
    private static double[] attribution(ProxyFitness fitness, int[] subset) {
        double base = fitness.error(subset);
        double[] attribution = new double[subset.length];
        for (int k = 0; k < subset.length; k++) {
            int[] without = new int[subset.length - 1];
            for (int i = 0, at = 0; i < subset.length; i++) {
                if (i != k) {
                    without[at++] = subset[i];
                }
            }
            attribution[k] = fitness.error(without) - base;
        }
        return attribution;
    }

    /** The items a refinement keeps fixed for a group: everything but the group's third, or (high) only that third. */
    static int[] keep(int[] subset, double[] attribution, Group group, SplittableRandom random) {
        Integer[] order = IntStream.range(0, subset.length).boxed().toArray(Integer[]::new);
        if (group == Group.RANDOM) {
            List<Integer> shuffled = new ArrayList<>(Arrays.asList(order));
            RandomSelection.shuffle(shuffled, random);
            order = shuffled.toArray(Integer[]::new);
        } else {
            Arrays.sort(order, (a, b) -> Double.compare(attribution[b], attribution[a]));
        }
        int third = Math.max(1, subset.length / 3);
        Integer[] ranked = order;
        return group == Group.HIGH ? IntStream.range(0, third).map(k -> subset[ranked[k]]).toArray()
                : IntStream.range(0, subset.length - third).map(k -> subset[ranked[k]]).toArray();
    }

    /** Gene values as distinct positions of {@code free}: a repeated value moves to the next unused position. */
    private static int[] decode(Genotype<IntegerGene> genotype, int[] free) {
        IntegerChromosome chromosome = genotype.chromosome().as(IntegerChromosome.class);
        boolean[] used = new boolean[free.length];
        int[] picked = new int[chromosome.length()];
        for (int g = 0; g < picked.length; g++) {
            int k = chromosome.get(g).intValue();
            while (used[k]) {
                k = (k + 1) % free.length;
            }
            used[k] = true;
            picked[g] = free[k];
        }
        Arrays.sort(picked);
        return picked;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
