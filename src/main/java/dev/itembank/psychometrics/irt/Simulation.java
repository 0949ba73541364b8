package dev.itembank.psychometrics.irt;

import java.util.random.RandomGenerator;

/** Random draws the science needs, from a generator passed in (never a global one). */
public final class Simulation {

    private Simulation() {
    }

    /** 0 .. n-1 in a random order (Fisher-Yates). */
    public static int[] permutation(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[k];
            order[k] = swap;
        }
        return order;
    }

    /** A fold in 0 .. folds-1 for each of n rows: the rows in random order, dealt out in turn. */
    public static int[] folds(int n, int folds, RandomGenerator random) {
        int[] order = permutation(n, random);
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % folds;
        }
        return fold;
    }

    /** A standard normal draw (Box-Muller). */
    public static double gaussian(RandomGenerator random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
