package dev.itembank.psychometrics.matrix;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Models ranked by a score (ties in model order): the {@code weak} lowest and the {@code strong} highest, each
 * listed in model order. Zhang, Dorner and Hardt's extrapolation split trains on the first and estimates the second.
 */
public record StrengthSplit(int[] weak, int[] strong) {

    public static StrengthSplit of(double[] scores, int weak, int strong) {
        if (weak < 0 || strong < 0 || weak + strong > scores.length) {
            throw new IllegalArgumentException("need 0 <= weak, strong and weak + strong <= " + scores.length);
        }
        int[] order = IntStream.range(0, scores.length).boxed()
                .sorted((a, b) -> Double.compare(scores[a], scores[b])).mapToInt(Integer::intValue).toArray();
        return new StrengthSplit(Arrays.stream(order, 0, weak).sorted().toArray(),
                Arrays.stream(order, scores.length - strong, scores.length).sorted().toArray());
    }
}
