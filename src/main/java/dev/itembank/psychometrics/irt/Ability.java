package dev.itembank.psychometrics.irt;

/**
 * An estimated ability with its standard error per dimension.
 *
 * @param theta the estimate, length D
 * @param standardError per dimension: the posterior SD (EAP, EAPsum, MAP) or the inverse-information SE (MLE)
 * @param method how it was estimated
 * @param iterations optimiser iterations (0 for quadrature methods)
 * @param converged whether the optimiser met its tolerance (quadrature methods always do)
 */
public record Ability(double[] theta, double[] standardError, AbilityMethod method, int iterations,
        boolean converged) {
}
