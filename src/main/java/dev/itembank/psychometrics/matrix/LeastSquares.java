package dev.itembank.psychometrics.matrix;

import java.util.function.IntPredicate;

/** The one least-squares line of the code base, y = a + b x, used wherever a score is read off a single proxy. */
public final class LeastSquares {

    private LeastSquares() {
    }

    /**
     * Least squares y = a + b x over the rows {@code use} accepts, skipping NaN:
     * b = (sum xy - sum x sum y / n) / (sum xx - (sum x)^2 / n), a = (sum y - b sum x) / n; slope 1 when x is
     * constant.
     *
     * @return {a, b}
     */
    public static double[] line(double[] x, double[] y, IntPredicate use) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int l = 0; l < x.length; l++) {
            if (!use.test(l) || Double.isNaN(x[l]) || Double.isNaN(y[l])) {
                continue;
            }
            n++;
            sx += x[l];
            sy += y[l];
            sxx += x[l] * x[l];
            sxy += x[l] * y[l];
        }
        double variance = sxx - sx * sx / n;
        double slope = variance > 1e-12 ? (sxy - sx * sy / n) / variance : 1;
        return new double[] {(sy - slope * sx) / n, slope};
    }
}
