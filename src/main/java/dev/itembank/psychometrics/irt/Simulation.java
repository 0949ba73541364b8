package dev.itembank.psychometrics.irt;

import java.util.random.RandomGenerator;

/** Random draws the science needs, from a generator passed in (never a global one). */
public final class Simulation {

    private Simulation() {
    }

    /** A standard normal draw (Box-Muller). */
    public static double gaussian(RandomGenerator random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
