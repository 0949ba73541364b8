package dev.itembank.psychometrics.matrix;

import java.util.Arrays;
import java.util.Objects;

/**
 * Models x items responses, immutable. Binary matrices keep two bits per cell (observed, correct) in packed
 * {@code long} words; continuous ones keep a {@code float} score in [0, 1] per cell beside the observed bits.
 * A missing cell reads as {@link Double#NaN}. Rows are models (index {@code model}), columns items.
 *
 * <p>Selections copy packed words, so selecting rows or columns of a 400 x 28,659 matrix costs milliseconds.
 */
public final class ResponseMatrix {

    private final int models;
    private final int items;
    private final int wordsPerRow;
    private final long[] observed;
    private final long[] correct;
    private final float[] scores;

    private ResponseMatrix(int models, int items, long[] observed, long[] correct, float[] scores) {
        this.models = models;
        this.items = items;
        this.wordsPerRow = words(items);
        this.observed = observed;
        this.correct = correct;
        this.scores = scores;
    }

    /** A builder for a binary matrix; cells start missing. */
    public static Builder binary(int models, int items) {
        return new Builder(models, items, false);
    }

    /** A builder for a continuous matrix; cells start missing. */
    public static Builder continuous(int models, int items) {
        return new Builder(models, items, true);
    }

    public int models() {
        return models;
    }

    public int items() {
        return items;
    }

    public boolean isBinary() {
        return scores == null;
    }

    public boolean isObserved(int model, int item) {
        checkIndex(model, item);
        return bit(observed, model * wordsPerRow, item);
    }

    /** The score of a cell in [0, 1], or NaN when the cell is missing. */
    public double get(int model, int item) {
        if (!isObserved(model, item)) {
            return Double.NaN;
        }
        return scores == null ? (bit(correct, model * wordsPerRow, item) ? 1.0 : 0.0)
                : scores[model * items + item];
    }

    /** Number of observed cells in a model's row. */
    public int answered(int model) {
        Objects.checkIndex(model, models);
        int count = 0;
        for (int w = 0; w < wordsPerRow; w++) {
            count += Long.bitCount(observed[model * wordsPerRow + w]);
        }
        return count;
    }

    /** Mean score of a model over its observed cells, NaN when it answered none. */
    public double rowMean(int model) {
        int answered = answered(model);
        if (answered == 0) {
            return Double.NaN;
        }
        double sum = 0;
        if (scores == null) {
            for (int w = 0; w < wordsPerRow; w++) {
                int at = model * wordsPerRow + w;
                sum += Long.bitCount(correct[at] & observed[at]);
            }
        } else {
            for (int item = 0; item < items; item++) {
                if (bit(observed, model * wordsPerRow, item)) {
                    sum += scores[model * items + item];
                }
            }
        }
        return sum / answered;
    }

    /** The rows {@code selected}, in that order (repeats allowed). */
    public ResponseMatrix selectModels(int[] selected) {
        Builder builder = new Builder(selected.length, items, scores != null);
        for (int r = 0; r < selected.length; r++) {
            int model = selected[r];
            Objects.checkIndex(model, models);
            System.arraycopy(observed, model * wordsPerRow, builder.observed, r * wordsPerRow, wordsPerRow);
            if (scores == null) {
                System.arraycopy(correct, model * wordsPerRow, builder.correct, r * wordsPerRow, wordsPerRow);
            } else {
                System.arraycopy(scores, model * items, builder.scores, r * items, items);
            }
        }
        return builder.build();
    }

    /** The columns {@code selected}, in that order (repeats allowed). */
    public ResponseMatrix selectItems(int[] selected) {
        for (int item : selected) {
            Objects.checkIndex(item, items);
        }
        Builder builder = new Builder(models, selected.length, scores != null);
        for (int model = 0; model < models; model++) {
            int from = model * wordsPerRow;
            for (int c = 0; c < selected.length; c++) {
                int item = selected[c];
                if (bit(observed, from, item)) {
                    if (scores == null) {
                        builder.set(model, c, bit(correct, from, item) ? 1.0 : 0.0);
                    } else {
                        builder.set(model, c, scores[model * items + item]);
                    }
                }
            }
        }
        return builder.build();
    }

    /** The items x models matrix: rows become columns. */
    public ResponseMatrix transposed() {
        Builder builder = new Builder(items, models, scores != null);
        for (int model = 0; model < models; model++) {
            int from = model * wordsPerRow;
            for (int item = 0; item < items; item++) {
                if (bit(observed, from, item)) {
                    builder.set(item, model, scores == null ? (bit(correct, from, item) ? 1.0 : 0.0)
                            : scores[model * items + item]);
                }
            }
        }
        return builder.build();
    }

    /** Copies a model's packed observed bits into {@code target} (length at least {@code words(items)}). */
    public void observedWords(int model, long[] target) {
        System.arraycopy(observed, model * wordsPerRow, target, 0, wordsPerRow);
    }

    /** Copies a binary model's packed correct bits into {@code target}. */
    public void correctWords(int model, long[] target) {
        if (scores != null) {
            throw new IllegalStateException("correctWords on a continuous matrix; use get(model, item)");
        }
        System.arraycopy(correct, model * wordsPerRow, target, 0, wordsPerRow);
    }

    /** Copies a model's scores into {@code target} (length at least {@code items}), NaN for missing cells. */
    public void row(int model, double[] target) {
        Objects.checkIndex(model, models);
        int from = model * wordsPerRow;
        for (int item = 0; item < items; item++) {
            if (!bit(observed, from, item)) {
                target[item] = Double.NaN;
            } else if (scores == null) {
                target[item] = bit(correct, from, item) ? 1.0 : 0.0;
            } else {
                target[item] = scores[model * items + item];
            }
        }
    }

    /** Each item's mean score over the given models (NaN for an item none of them answered). */
    public double[] columnMeans(int[] selected) {
        double[] sums = new double[items];
        int[] counts = new int[items];
        double[] row = new double[items];
        for (int l : selected) {
            row(l, row);
            for (int j = 0; j < items; j++) {
                if (!Double.isNaN(row[j])) {
                    sums[j] += row[j];
                    counts[j]++;
                }
            }
        }
        for (int j = 0; j < items; j++) {
            sums[j] = counts[j] == 0 ? Double.NaN : sums[j] / counts[j];
        }
        return sums;
    }

    /** Number of 64-bit words that hold one row of {@code items} bits. */
    public static int words(int items) {
        return (items + 63) >>> 6;
    }

    private void checkIndex(int model, int item) {
        Objects.checkIndex(model, models);
        Objects.checkIndex(item, items);
    }

    private static boolean bit(long[] words, int rowStart, int item) {
        return (words[rowStart + (item >>> 6)] & (1L << item)) != 0;
    }

    @Override
    public String toString() {
        return "ResponseMatrix[" + models + " models x " + items + " items, " + (isBinary() ? "binary" : "continuous")
                + "]";
    }

    /** Fills a matrix row by row or cell by cell; {@link #build()} hands the arrays over without copying. */
    public static final class Builder {
        private final int models;
        private final int items;
        private final int wordsPerRow;
        private final long[] observed;
        private final long[] correct;
        private final float[] scores;
        private boolean built;

        private Builder(int models, int items, boolean continuous) {
            if (models < 0 || items < 0) {
                throw new IllegalArgumentException("models and items must be >= 0, got " + models + " x " + items);
            }
            this.models = models;
            this.items = items;
            this.wordsPerRow = words(items);
            long cells = (long) models * wordsPerRow;
            if (cells > Integer.MAX_VALUE || (continuous && (long) models * items > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("matrix too large: " + models + " x " + items);
            }
            this.observed = new long[(int) cells];
            this.correct = continuous ? null : new long[(int) cells];
            this.scores = continuous ? new float[models * items] : null;
        }

        /**
         * Sets a cell. Binary builders take 0 or 1; continuous ones any score in [0, 1]; NaN marks it missing.
         */
        public Builder set(int model, int item, double score) {
            Objects.checkIndex(model, models);
            Objects.checkIndex(item, items);
            int word = model * wordsPerRow + (item >>> 6);
            long mask = 1L << item;
            if (Double.isNaN(score)) {
                observed[word] &= ~mask;
                if (scores != null) {
                    scores[model * items + item] = 0f;
                } else {
                    correct[word] &= ~mask;
                }
                return this;
            }
            if (!(score >= 0.0 && score <= 1.0)) {
                throw new IllegalArgumentException("score must be in [0, 1], got " + score + " at model " + model
                        + ", item " + item);
            }
            observed[word] |= mask;
            if (scores != null) {
                scores[model * items + item] = (float) score;
            } else if (score == 1.0) {
                correct[word] |= mask;
            } else if (score == 0.0) {
                correct[word] &= ~mask;
            } else {
                throw new IllegalArgumentException("a binary matrix takes 0 or 1, got " + score + " at model "
                        + model + ", item " + item);
            }
            return this;
        }

        /** Sets a whole binary row from packed words (bit i of word i/64 is item i); extra bits are ignored. */
        public Builder setBinaryRow(int model, long[] observedWords, long[] correctWords) {
            Objects.checkIndex(model, models);
            if (correct == null) {
                throw new IllegalStateException("setBinaryRow on a continuous builder");
            }
            int from = model * wordsPerRow;
            int n = Math.min(wordsPerRow, observedWords.length);
            for (int w = 0; w < n; w++) {
                long valid = w == wordsPerRow - 1 ? lastWordMask(items) : -1L;
                observed[from + w] = observedWords[w] & valid;
                correct[from + w] = (w < correctWords.length ? correctWords[w] : 0L) & observedWords[w] & valid;
            }
            return this;
        }

        public ResponseMatrix build() {
            if (built) {
                throw new IllegalStateException("build() was already called");
            }
            built = true;
            if (correct != null) {
                for (int i = 0; i < correct.length; i++) {
                    correct[i] &= observed[i];
                }
            }
            return new ResponseMatrix(models, items, observed, correct, scores);
        }

        private static long lastWordMask(int items) {
            int rest = items & 63;
            return rest == 0 ? -1L : (1L << rest) - 1;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResponseMatrix that && models == that.models && items == that.items
                && Arrays.equals(observed, that.observed) && Arrays.equals(correct, that.correct)
                && Arrays.equals(scores, that.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(models, items, Arrays.hashCode(observed));
    }
}
