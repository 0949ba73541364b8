package dev.itembank.psychometrics.selection;

import java.util.ArrayList;
import java.util.List;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/** EssenceBench's coarse filtering: greedy, in item order, against the items kept so far. */
final class Redundancy {

    private Redundancy() {
    }

    static int[] filter(ResponseMatrix responses, int[] items, double[][] embeddings, GeneticSelection.Options options,
            List<Subset.Dropped> dropped) {
        Patterns patterns = new Patterns(responses.selectItems(items).transposed());
        List<Integer> kept = new ArrayList<>();
        for (int k = 0; k < items.length; k++) {
            String reason = null;
            for (int other : kept) {
                if (embeddings != null && embeddings[items[k]] != null && embeddings[items[other]] != null
                        && cosine(embeddings[items[k]], embeddings[items[other]]) >= options.textSimilarity()) {
                    reason = "text embedding nearly identical to item " + items[other];
                    break;
                }
                if (patterns.agreement(k, other) >= options.patternAgreement()) {
                    reason = "response pattern nearly identical to item " + items[other];
                    break;
                }
            }
            if (reason == null) {
                kept.add(k);
            } else {
                dropped.add(new Subset.Dropped(items[k], reason));
            }
        }
        return kept.stream().mapToInt(k -> items[k]).toArray();
    }

    /** Items' response patterns across the models: packed bits for binary scores, values otherwise. */
    private static final class Patterns {
        private final ResponseMatrix byItem;
        private final long[][] observed;
        private final long[][] correct;

        Patterns(ResponseMatrix byItem) {
            this.byItem = byItem;
            int words = ResponseMatrix.words(byItem.items());
            observed = new long[byItem.models()][words];
            correct = byItem.isBinary() ? new long[byItem.models()][words] : null;
            for (int k = 0; k < byItem.models(); k++) {
                byItem.observedWords(k, observed[k]);
                if (correct != null) {
                    byItem.correctWords(k, correct[k]);
                }
            }
        }

        /** Share of the models answering both items whose scores differ by less than 0.05. */
        double agreement(int a, int b) {
            int both = 0;
            int same = 0;
            if (correct != null) {
                for (int w = 0; w < observed[a].length; w++) {
                    long common = observed[a][w] & observed[b][w];
                    both += Long.bitCount(common);
                    same += Long.bitCount(common & ~(correct[a][w] ^ correct[b][w]));
                }
            } else {
                for (int l = 0; l < byItem.items(); l++) {
                    double x = byItem.get(a, l);
                    double y = byItem.get(b, l);
                    if (!Double.isNaN(x) && !Double.isNaN(y)) {
                        both++;
                        same += Math.abs(x - y) < 0.05 ? 1 : 0;
                    }
                }
            }
            return both == 0 ? 0 : (double) same / both;
        }
    }

    static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
