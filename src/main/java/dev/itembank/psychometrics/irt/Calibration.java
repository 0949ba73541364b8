package dev.itembank.psychometrics.irt;

/**
 * The result of fitting an item response model to a response matrix.
 *
 * @param items the fitted items ({@link UnidimensionalItems} or {@link MultidimensionalItems})
 * @param abilities the fitted models' abilities, models x D row-major (EAP for EM fits, MAP for joint fits)
 * @param abilityErrors their standard errors (posterior SDs), same layout
 * @param logLikelihood the log-likelihood at the estimate (marginal for EM fits, joint for joint MAP fits)
 * @param iterations iterations run
 * @param converged whether the tolerance was met before the iteration cap
 * @param freeParameters number of estimated item parameters
 * @param aic -2 logL + 2 k
 * @param bic -2 logL + k log(models)
 * @param elapsedMillis wall time of the fit
 * @param seed the seed that made the start values (fits are deterministic for a seed)
 */
public record Calibration(ItemBank items, double[] abilities, double[] abilityErrors, double logLikelihood,
        int iterations, boolean converged, int freeParameters, double aic, double bic, long elapsedMillis, long seed) {

    public int models() {
        return abilities.length / items.dimensions();
    }

    static double aic(double logLikelihood, int parameters) {
        return -2 * logLikelihood + 2.0 * parameters;
    }

    static double bic(double logLikelihood, int parameters, int observations) {
        return -2 * logLikelihood + parameters * Math.log(Math.max(1, observations));
    }
}
