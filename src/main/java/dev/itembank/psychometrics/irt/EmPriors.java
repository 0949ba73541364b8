package dev.itembank.psychometrics.irt;

/**
 * Weak normal priors of the EM fit, on the slope a, the intercept d, logit(g) and logit(u). They keep items
 * that every model answers correctly (or wrongly) finite, and identify the asymptotes of 3PL and 4PL items;
 * with hundreds of models they move well-determined items by far less than their standard errors.
 */
public record EmPriors(double slopeMean, double slopeSd, double interceptSd, double guessingLogitMean,
        double guessingLogitSd, double upperLogitMean, double upperLogitSd) {

    public EmPriors {
        if (!(slopeSd > 0 && interceptSd > 0 && guessingLogitSd > 0 && upperLogitSd > 0)) {
            throw new IllegalArgumentException("prior standard deviations must be > 0");
        }
    }

    /** a ~ N(1, 3^2), d ~ N(0, 10^2), logit g ~ N(logit 0.15, 1.5^2), logit u ~ N(logit 0.95, 1.5^2). */
    public static EmPriors defaults() {
        return new EmPriors(1.0, 3.0, 10.0, Logistic.logit(0.15), 1.5, Logistic.logit(0.95), 1.5);
    }
}
