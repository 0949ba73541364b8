package dev.itembank.psychometrics.irt;

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
}
