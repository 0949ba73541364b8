package dev.itembank.psychometrics.estimation;

import java.util.Arrays;

/**
 * A central interval around an estimate whose coverage is calibrated on held-out models: split-conformal
 * prediction on absolute residuals. With n residuals |estimate - truth| of models the estimator did not see,
 * the half-width is their ceil((n + 1) level)-th smallest value, so that a new model's true score falls inside
 * with probability at least {@code level} when models are exchangeable.
 *
 * @see <a href="https://arxiv.org/abs/2107.07511">Angelopoulos and Bates (2021), conformal prediction</a>
 */
public final class ConformalInterval {

    private ConformalInterval() {
    }

    /** An interval [lower, upper] at a nominal level, with the half-width it used. */
    public record Interval(double lower, double upper, double level, double halfWidth) {

        public boolean contains(double value) {
            return value >= lower && value <= upper;
        }
    }

    /**
     * @param estimate the point estimate
     * @param residuals estimate - truth for held-out models (cross-validated)
     * @param level nominal coverage in (0, 1)
     * @param clamp whether to keep the interval inside [0, 1]
     */
    public static Interval of(double estimate, double[] residuals, double level, boolean clamp) {
        double halfWidth = halfWidth(residuals, level);
        double lower = estimate - halfWidth;
        double upper = estimate + halfWidth;
        if (clamp) {
            lower = Math.max(0, lower);
            upper = Math.min(1, upper);
        }
        return new Interval(lower, upper, level, halfWidth);
    }

    /** The ceil((n + 1) level)-th smallest absolute residual; infinite when there are too few residuals. */
    public static double halfWidth(double[] residuals, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        double[] absolute = Arrays.stream(residuals).filter(Double::isFinite).map(Math::abs).sorted().toArray();
        int rank = (int) Math.ceil((absolute.length + 1) * level);
        return rank > absolute.length ? Double.POSITIVE_INFINITY : absolute[rank - 1];
    }
}
