package dev.itembank.psychometrics.irt;

/**
 * Calibrated items that give each a probability of a correct answer at an ability {@code theta}, with the
 * gradient of that probability. Ability estimation and information work on any item bank.
 */
public interface ItemBank {

    int items();

    /** Number of latent dimensions D (the length of {@code theta}). */
    int dimensions();

    /** P(correct | theta) for one item. */
    double probability(int item, double[] theta);

    /**
     * P(correct | theta) for one item, writing dP/dtheta into {@code gradient} (length D).
     */
    double probability(int item, double[] theta, double[] gradient);

    /**
     * Fisher information of one item at {@code theta}, added into {@code information} (D x D, row-major):
     * I(theta) = (dP)(dP)' / (P (1 - P)).
     */
    default void addInformation(int item, double[] theta, double[] information) {
        int dims = dimensions();
        double[] gradient = new double[dims];
        double p = probability(item, theta, gradient);
        double variance = Math.max(p * (1 - p), 1e-300);
        for (int r = 0; r < dims; r++) {
            for (int c = 0; c < dims; c++) {
                information[r * dims + c] += gradient[r] * gradient[c] / variance;
            }
        }
    }

    /** Test information: the sum of {@link #addInformation} over {@code items}, D x D row-major. */
    default double[] testInformation(int[] items, double[] theta) {
        double[] information = new double[dimensions() * dimensions()];
        for (int item : items) {
            addInformation(item, theta, information);
        }
        return information;
    }
}
