package dev.itembank.benchmarks;

import java.util.Arrays;

/**
 * One model's results over a column space, packed: a presence bit per cell, then either a correctness bit per
 * cell (binary rows) or a 32-bit IEEE float score per cell (continuous rows: about 7 significant digits, so a
 * score written with up to 6 significant digits reads back exactly).
 */
final class PackedRow {

    final int width;
    final long[] present;
    final long[] ones;
    final float[] scores;

    PackedRow(int width, long[] present, long[] ones, float[] scores) {
        this.width = width;
        this.present = present;
        this.ones = ones;
        this.scores = scores;
    }

    /** Packs validated cells (NaN = missing, otherwise in [0, 1]); binary when every present cell is 0 or 1. */
    static PackedRow of(double[] cells, int width) {
        int words = words(width);
        long[] present = new long[words];
        boolean binary = true;
        for (int c = 0; c < width; c++) {
            double value = cells[c];
            if (!Double.isNaN(value)) {
                present[c >>> 6] |= 1L << c;
                binary &= value == 0.0 || value == 1.0;
            }
        }
        long[] ones = binary ? new long[words] : null;
        float[] scores = binary ? null : new float[width];
        for (int c = 0; c < width; c++) {
            double value = cells[c];
            if (Double.isNaN(value)) {
                continue;
            }
            if (binary) {
                if (value == 1.0) {
                    ones[c >>> 6] |= 1L << c;
                }
            } else {
                scores[c] = (float) value;
            }
        }
        return new PackedRow(width, present, ones, scores);
    }

    static int words(int width) {
        return (width + 63) >>> 6;
    }

    boolean isBinary() {
        return scores == null;
    }

    boolean has(int column) {
        return column < width && (present[column >>> 6] & (1L << column)) != 0;
    }

    /** The cell's score, NaN when missing or beyond this row's width. */
    double value(int column) {
        if (!has(column)) {
            return Double.NaN;
        }
        if (scores == null) {
            return (ones[column >>> 6] & (1L << column)) != 0 ? 1.0 : 0.0;
        }
        return scores[column];
    }

    int answered() {
        int count = 0;
        for (long word : present) {
            count += Long.bitCount(word);
        }
        return count;
    }

    /** Mean score over present cells, NaN when none is present. */
    double mean() {
        int answered = answered();
        if (answered == 0) {
            return Double.NaN;
        }
        double sum = 0;
        if (scores == null) {
            for (int w = 0; w < ones.length; w++) {
                sum += Long.bitCount(ones[w] & present[w]);
            }
        } else {
            for (int c = 0; c < width; c++) {
                if (has(c)) {
                    sum += scores[c];
                }
            }
        }
        return sum / answered;
    }

    /** The same cells in another column space: column c moves to {@code target[c]}, of width {@code targetWidth}. */
    PackedRow remap(int[] target, int targetWidth) {
        int words = words(targetWidth);
        long[] newPresent = new long[words];
        long[] newOnes = scores == null ? new long[words] : null;
        float[] newScores = scores == null ? null : new float[targetWidth];
        for (int c = 0; c < width; c++) {
            if (!has(c)) {
                continue;
            }
            int to = target[c];
            newPresent[to >>> 6] |= 1L << to;
            if (scores == null) {
                if ((ones[c >>> 6] & (1L << c)) != 0) {
                    newOnes[to >>> 6] |= 1L << to;
                }
            } else {
                newScores[to] = scores[c];
            }
        }
        return new PackedRow(targetWidth, newPresent, newOnes, newScores);
    }

    /**
     * This row with {@code newer}'s present cells written over it (the per-cell merge of an upload into a model
     * that already has results), over the wider of the two column spaces; both in the same column space (catalogue
     * ordinals).
     */
    PackedRow overlay(PackedRow newer) {
        int merged = Math.max(width, newer.width);
        double[] cells = new double[merged];
        for (int c = 0; c < merged; c++) {
            cells[c] = newer.has(c) ? newer.value(c) : value(c);
        }
        return of(cells, merged);
    }

    /** How many of {@code newer}'s present cells this row has too (they would be replaced by an overlay). */
    int overlap(PackedRow newer) {
        int count = 0;
        for (int w = 0; w < Math.min(present.length, newer.present.length); w++) {
            count += Long.bitCount(present[w] & newer.present[w]);
        }
        return count;
    }

    boolean allPresent() {
        for (int w = 0; w < present.length; w++) {
            long expected = w == present.length - 1 && (width & 63) != 0 ? (1L << (width & 63)) - 1 : -1L;
            if (present[w] != expected) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PackedRow that && width == that.width && Arrays.equals(present, that.present)
                && Arrays.equals(ones, that.ones) && Arrays.equals(scores, that.scores);
    }

    @Override
    public int hashCode() {
        return 31 * width + Arrays.hashCode(present);
    }
}
