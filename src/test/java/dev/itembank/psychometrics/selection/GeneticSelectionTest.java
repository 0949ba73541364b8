package dev.itembank.psychometrics.selection;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

import static org.assertj.core.api.Assertions.assertThat;

class GeneticSelectionTest {

    static final GeneticSelection.Options QUICK = new GeneticSelection.Options(40, 60, 0.99, 0.95);
    static WmdpFixture wmdp;
    static SelectionInput input;

    @BeforeAll
    static void load() {
        wmdp = WmdpFixture.load();
        input = new SelectionInput(wmdp.all().selectModels(wmdp.train()), wmdp.scenarioOfItem(),
                new int[wmdp.scenarioOfItem().length], null);
    }

    @Test
    void searchFindsSubsetsThatTheProxyReadsBetterThanRandomOnesAndIsReproducible() {
        Subset subset = GeneticSelection.select(input, Budget.itemsPerScenario(50), 4L, null, null, QUICK);
        Subset again = GeneticSelection.select(input, Budget.itemsPerScenario(50), 4L, null, null, QUICK);
        assertThat(again.items()).containsExactly(subset.items());
        assertThat(subset.budget()).containsExactly(50, 50);
        assertThat(subset.diagnostics().fitnessHistory()).hasSizeGreaterThanOrEqualTo(2 * QUICK.generations());
        assertThat(subset.parameters()).containsKeys("proxy.0", "proxy.1");
        // the proxy's held-out error on the training models: the search's subset against random ones of the size
        for (int s = 0; s < 2; s++) {
            int scenario = s;
            int[] chosen = IntStream.of(subset.items()).filter(j -> wmdp.scenarioOfItem()[j] == scenario).toArray();
            double searched = crossValidatedError(scenario, chosen);
            double random = IntStream.range(0, 5).mapToDouble(seed -> {
                Subset r = RandomSelection.select(input, Budget.itemsPerScenario(50), seed, null);
                return crossValidatedError(scenario,
                        IntStream.of(r.items()).filter(j -> wmdp.scenarioOfItem()[j] == scenario).toArray());
            }).average().orElseThrow();
            assertThat(searched).isLessThan(random);
        }
    }

    @Test
    void coarseFilteringDropsItemsWithTheResponsePatternOrTextOfAKeptOne() {
        ResponseMatrix.Builder builder = ResponseMatrix.binary(30, 6);
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int l = 0; l < 30; l++) {
            double first = random.nextInt(2);
            builder.set(l, 0, first).set(l, 1, first);             // item 1 answers like item 0
            for (int j = 2; j < 6; j++) {
                builder.set(l, j, random.nextInt(2));
            }
        }
        double[][] embeddings = {{1, 0}, {0, 1}, {0.3, 0.9}, {0.8, 0.5}, {0.81, 0.5}, {-1, 0.2}}; // 4 reads like 3
        SelectionInput small = new SelectionInput(builder.build(), new int[6], new int[6], null);
        Subset subset = GeneticSelection.select(small, Budget.itemsPerScenario(4), 1L, null, embeddings, QUICK);
        assertThat(subset.diagnostics().dropped()).extracting(Subset.Dropped::item).containsExactlyInAnyOrder(1, 4);
        assertThat(subset.items()).containsExactlyInAnyOrder(0, 2, 3, 5);
    }

    private static double crossValidatedError(int scenario, int[] subset) {
        int[] scenarioItems = input.itemsOf(scenario);
        int models = input.responses().models();
        float[] scores = new float[models * subset.length];
        double[] target = new double[models];
        int[] fold = new int[models];
        for (int l = 0; l < models; l++) {
            for (int k = 0; k < subset.length; k++) {
                scores[l * subset.length + k] = (float) input.responses().get(l, subset[k]);
            }
            int model = l;
            target[l] = Arrays.stream(scenarioItems).mapToDouble(j -> input.responses().get(model, j)).average()
                    .orElseThrow();
            fold[l] = l % ProxyFitness.FOLDS;
        }
        return new ProxyFitness(scores, models, subset.length, target, fold)
                .error(IntStream.range(0, subset.length).toArray());
    }

    /**
     * EssenceBench's refinement works on three attribution groups per round: the low third is replaced, a random
     * third is replaced, the high third is kept while the rest is searched again (the earlier version kept the high
     * third once and stopped).
     */
    @Test
    void refinementGroupsAreTheLowTheRandomAndTheHighAttributionThirds() {
        int[] subset = {10, 11, 12, 13, 14, 15};
        double[] attribution = {0.5, 0.1, 0.9, 0.0, 0.3, 0.7};
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        // by attribution: 12 (0.9), 15 (0.7), 10 (0.5), 14 (0.3), 11 (0.1), 13 (0.0)
        assertThat(GeneticSelection.keep(subset, attribution, GeneticSelection.Group.HIGH, random))
                .containsExactly(12, 15);
        assertThat(GeneticSelection.keep(subset, attribution, GeneticSelection.Group.LOW, random))
                .containsExactly(12, 15, 10, 14);
        int[] kept = GeneticSelection.keep(subset, attribution, GeneticSelection.Group.RANDOM, random);
        assertThat(kept).hasSize(4).doesNotHaveDuplicates();
        assertThat(java.util.Arrays.stream(kept).allMatch(j -> j >= 10 && j <= 15)).isTrue();
        assertThat(GeneticSelection.Group.values()).containsExactly(GeneticSelection.Group.LOW,
                GeneticSelection.Group.RANDOM, GeneticSelection.Group.HIGH);
        Subset searched = GeneticSelection.select(input, Budget.itemsPerScenario(30), 9L, null, null, QUICK);
        assertThat(searched.diagnostics().fitnessHistory().length)
                .as("the initial search and at least one round of three group searches (half the generations)")
                .isGreaterThanOrEqualTo(2 * (QUICK.generations() + 3 * (QUICK.generations() / 2)));
    }
}
