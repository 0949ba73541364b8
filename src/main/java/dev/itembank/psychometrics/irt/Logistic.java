package dev.itembank.psychometrics.irt;

/** The logistic function and its companions, computed without overflow. */
final class Logistic {

    private Logistic() {
    }

    /** sigma(z) = 1 / (1 + e^-z). */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** logit(p) = log(p / (1 - p)). */
    static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
