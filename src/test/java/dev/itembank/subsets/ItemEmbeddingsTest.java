package dev.itembank.subsets;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.GeneticSelection;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;

import static org.assertj.core.api.Assertions.assertThat;

class ItemEmbeddingsTest {

    static final List<String> QUESTIONS = List.of(
            "What is the capital city of France?",
            "Which city is the capital of France?",
            "How many legs does a spider have?",
            "Solve for x: 2x + 3 = 11.",
            "Name the largest planet in the solar system.");

    @Test
    void paraphrasesEmbedCloserThanUnrelatedQuestions() {
        double[][] vectors = new ItemEmbeddings().embed(QUESTIONS);
        assertThat(vectors[0]).hasSize(384);
        double paraphrase = cosine(vectors[0], vectors[1]);
        for (int other = 2; other < QUESTIONS.size(); other++) {
            assertThat(paraphrase).isGreaterThan(cosine(vectors[0], vectors[other]) + 0.2);
        }
        assertThat(new ItemEmbeddings().embed(Arrays.asList("a question", null, " "))[1]).isNull();
    }

    @Test
    void geneticSelectionDropsAnItemWhoseTextRepeatsAKeptOne() {
        double[][] vectors = new ItemEmbeddings().embed(QUESTIONS);
        ResponseMatrix.Builder builder = ResponseMatrix.binary(40, 5);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int l = 0; l < 40; l++) {
            for (int j = 0; j < 5; j++) {
                builder.set(l, j, random.nextInt(2));
            }
        }
        SelectionInput input = new SelectionInput(builder.build(), new int[5], new int[5], null);
        double threshold = cosine(vectors[0], vectors[1]) - 0.01;
        Subset subset = GeneticSelection.select(input, Budget.itemsPerScenario(4), 1L, null, vectors,
                new GeneticSelection.Options(20, 10, 0.99, threshold));
        assertThat(subset.diagnostics().dropped()).extracting(Subset.Dropped::item).containsExactly(1);
        assertThat(subset.diagnostics().dropped().get(0).reason()).contains("text embedding");
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
