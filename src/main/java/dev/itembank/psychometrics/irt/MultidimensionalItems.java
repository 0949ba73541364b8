package dev.itembank.psychometrics.irt;

/**
 * Multidimensional 2PL items, P_j(theta) = sigmoid(a_j . theta + d_j), theta in R^D.
 *
 * @param slopes a_j, one row of D discriminations per item (row-major, items x D)
 * @param intercepts d_j
 * @param dimensions D
 */
public record MultidimensionalItems(double[] slopes, double[] intercepts, int dimensions) implements ItemBank {

    public MultidimensionalItems {
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
        }
        if (slopes.length != intercepts.length * dimensions) {
            throw new IllegalArgumentException("slopes must hold items x dimensions = " + intercepts.length + " x "
                    + dimensions + " values, got " + slopes.length);
        }
    }

    @Override
    public int items() {
        return intercepts.length;
    }

    public double slope(int item, int dimension) {
        return slopes[item * dimensions + dimension];
    }

    // z = a . theta + d
    double logit(int item, double[] theta) {
        double z = intercepts[item];
        int base = item * dimensions;
        for (int k = 0; k < dimensions; k++) {
            z += slopes[base + k] * theta[k];
        }
        return z;
    }

    @Override
    public double probability(int item, double[] theta) {
        return Logistic.sigmoid(logit(item, theta));
    }

    // dP/dtheta = P (1 - P) a
    @Override
    public double probability(int item, double[] theta, double[] gradient) {
        double p = probability(item, theta);
        double w = p * (1 - p);
        int base = item * dimensions;
        for (int k = 0; k < dimensions; k++) {
            gradient[k] = w * slopes[base + k];
        }
        return p;
    }

    // I(theta) = P (1 - P) a a'
    @Override
    public void addInformation(int item, double[] theta, double[] information) {
        double p = probability(item, theta);
        double w = p * (1 - p);
        int base = item * dimensions;
        for (int r = 0; r < dimensions; r++) {
            double ar = w * slopes[base + r];
            for (int c = 0; c < dimensions; c++) {
                information[r * dimensions + c] += ar * slopes[base + c];
            }
        }
    }
}
