package dev.itembank.psychometrics.irt;

import java.util.Arrays;

/**
 * Unidimensional items in mirt's slope-intercept form, P_j(theta) = g_j + (u_j - g_j) sigmoid(a_j theta + d_j);
 * the IRT view has discrimination a_j and difficulty b_j = -d_j / a_j.
 *
 * @param model the item model the parameters belong to
 * @param slope a_j (discrimination)
 * @param intercept d_j
 * @param guessing g_j in [0, 1) (0 for 1PL and 2PL)
 * @param upper u_j in (g_j, 1] (1 below 4PL)
 * @see <a href="https://doi.org/10.18637/jss.v048.i06">Chalmers (2012), mirt</a>
 */
public record UnidimensionalItems(ItemModel model, double[] slope, double[] intercept, double[] guessing,
        double[] upper) implements ItemBank {

    public UnidimensionalItems {
        int n = slope.length;
        if (intercept.length != n || guessing.length != n || upper.length != n) {
            throw new IllegalArgumentException("slope, intercept, guessing and upper differ in length");
        }
        for (int j = 0; j < n; j++) {
            if (!(guessing[j] >= 0 && guessing[j] < upper[j] && upper[j] <= 1)) {
                throw new IllegalArgumentException("item " + j + " needs 0 <= g < u <= 1, got g = " + guessing[j]
                        + ", u = " + upper[j]);
            }
            if (!Double.isFinite(slope[j]) || !Double.isFinite(intercept[j])) {
                throw new IllegalArgumentException("item " + j + " has a non-finite slope or intercept");
            }
        }
    }

    /** 2PL items from slopes and intercepts. */
    public static UnidimensionalItems twoPl(double[] slope, double[] intercept) {
        double[] zeros = new double[slope.length];
        double[] ones = new double[slope.length];
        Arrays.fill(ones, 1.0);
        return new UnidimensionalItems(ItemModel.TWO_PL, slope, intercept, zeros, ones);
    }

    @Override
    public int items() {
        return slope.length;
    }

    @Override
    public int dimensions() {
        return 1;
    }

    /** b_j = -d_j / a_j, the ability at which the logistic part is one half. */
    public double difficulty(int item) {
        return -intercept[item] / slope[item];
    }

    // P = g + (u - g) sigmoid(a theta + d)
    public double probability(int item, double theta) {
        return guessing[item] + (upper[item] - guessing[item]) * Logistic.sigmoid(slope[item] * theta + intercept[item]);
    }

    @Override
    public double probability(int item, double[] theta) {
        return probability(item, theta[0]);
    }

    // dP/dtheta = (u - g) a sigma (1 - sigma)
    @Override
    public double probability(int item, double[] theta, double[] gradient) {
        double s = Logistic.sigmoid(slope[item] * theta[0] + intercept[item]);
        double range = upper[item] - guessing[item];
        gradient[0] = range * slope[item] * s * (1 - s);
        return guessing[item] + range * s;
    }

    /**
     * Item information, I_j(theta) = a^2 (P - g)^2 (u - P)^2 / ((u - g)^2 P (1 - P)); a^2 P (1 - P) for the 2PL.
     */
    public double information(int item, double theta) {
        double p = probability(item, theta);
        double g = guessing[item];
        double u = upper[item];
        double a = slope[item];
        return a * a * (p - g) * (p - g) * (u - p) * (u - p) / ((u - g) * (u - g) * p * (1 - p));
    }

    /** Free parameters of these items under their model (ONE_PL: intercepts plus the shared slope). */
    public int freeParameters() {
        return model == ItemModel.ONE_PL ? items() + 1 : items() * model.parametersPerItem();
    }
}
