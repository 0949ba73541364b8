package dev.itembank.psychometrics.estimation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a fitted estimator keeps to be restored without refitting: named arrays (a lambda per scenario, a
 * regression's coefficients, ...). Names, never positions, so that a stored state reads back whatever the order of
 * the code.
 */
public record EstimatorState(Map<String, double[]> values) {

    public EstimatorState {
        values = Map.copyOf(values);
    }

    public static EstimatorState of(Object... nameValuePairs) {
        Map<String, double[]> values = new LinkedHashMap<>();
        for (int k = 0; k < nameValuePairs.length; k += 2) {
            values.put((String) nameValuePairs[k], (double[]) nameValuePairs[k + 1]);
        }
        return new EstimatorState(values);
    }

    /** A named array; an exception naming it when the state lacks it. */
    public double[] get(String name) {
        double[] value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the stored estimator state has no '" + name + "'");
        }
        return value;
    }
}
