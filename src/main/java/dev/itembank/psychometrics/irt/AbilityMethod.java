package dev.itembank.psychometrics.irt;

import java.util.Locale;

/** How an ability is estimated from responses to calibrated items. */
public enum AbilityMethod {
    /** Maximum likelihood, no prior, BFGS from theta = 0: tinyBenchmarks' estimator. Diverges for all-correct. */
    MLE,
    /** Maximum a posteriori with an N(0, I) prior: mirt's MAP. Finite for every response pattern. */
    MAP,
    /** Posterior mean and SD under an N(0, I) prior: quadrature for D <= 2, a Laplace approximation above. */
    EAP,
    /** Posterior given only the sum score (Lord-Wingersky recursion); unidimensional binary responses. */
    EAP_SUM;

    public static AbilityMethod parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
            case "mle", "ml" -> MLE;
            case "map" -> MAP;
            case "eap" -> EAP;
            case "eapsum" -> EAP_SUM;
            default -> throw new IllegalArgumentException("unknown ability method '" + text
                    + "': use mle, map, eap or eapsum");
        };
    }
}
