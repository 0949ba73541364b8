package dev.itembank.psychometrics.irt;

/**
 * Items parametrised as the tinyBenchmarks package evaluates them, so that its published parameters can be
 * imported and used unchanged: P_i(theta) = sigmoid( sum_d clip(alpha_id theta_d - beta_i, -30, 30) ). The
 * difficulty beta_i is subtracted once per dimension, so it enters D times.
 *
 * @param discriminations alpha, items x D, row-major
 * @param difficulties beta
 * @param dimensions D
 * @see <a href="https://arxiv.org/abs/2402.14992">Maia Polo et al. (2024), tinyBenchmarks</a>
 */
public record TinyBenchmarksItems(double[] discriminations, double[] difficulties, int dimensions)
        implements ItemBank {

    static final double CLIP = 30.0;

    public TinyBenchmarksItems {
        if (discriminations.length != difficulties.length * dimensions) {
            throw new IllegalArgumentException("discriminations must hold items x dimensions values");
        }
    }

    @Override
    public int items() {
        return difficulties.length;
    }

    @Override
    public double probability(int item, double[] theta) {
        return probability(item, theta, null);
    }

    // z = sum_d clip(alpha_d theta_d - beta, -30, 30); dP/dtheta_d = P (1 - P) alpha_d where the term is not clipped
    @Override
    public double probability(int item, double[] theta, double[] gradient) {
        double z = 0;
        int base = item * dimensions;
        for (int d = 0; d < dimensions; d++) {
            double term = discriminations[base + d] * theta[d] - difficulties[item];
            z += Math.max(-CLIP, Math.min(CLIP, term));
        }
        double p = Logistic.sigmoid(z);
        if (gradient != null) {
            double w = p * (1 - p);
            for (int d = 0; d < dimensions; d++) {
                double term = discriminations[base + d] * theta[d] - difficulties[item];
                gradient[d] = Math.abs(term) < CLIP ? w * discriminations[base + d] : 0.0;
            }
        }
        return p;
    }
}
