package dev.itembank.psychometrics.matrix;

/** A model's score per scenario: the weighted mean of its observed scores on the scenario's columns. */
public final class ScenarioScores {

    private ScenarioScores() {
    }

    /**
     * @param row the model's scores over all items (NaN for missing)
     * @param columns the items to use
     * @param weights one weight per entry of {@code columns}
     * @param scenarioOfItem each item's scenario
     * @return per scenario the weighted mean, NaN where no used item was answered
     */
    public static double[] of(double[] row, int[] columns, double[] weights, int[] scenarioOfItem, int scenarios) {
        double[] sums = new double[scenarios];
        double[] mass = new double[scenarios];
        for (int k = 0; k < columns.length; k++) {
            double y = row[columns[k]];
            if (!Double.isNaN(y)) {
                int s = scenarioOfItem[columns[k]];
                sums[s] += weights[k] * y;
                mass[s] += weights[k];
            }
        }
        for (int s = 0; s < scenarios; s++) {
            sums[s] = mass[s] == 0 ? Double.NaN : sums[s] / mass[s];
        }
        return sums;
    }

    /** Over every item, weighted by {@code balance} (one weight per item). */
    public static double[] of(double[] row, double[] balance, int[] scenarioOfItem, int scenarios) {
        return of(row, java.util.stream.IntStream.range(0, row.length).toArray(), balance, scenarioOfItem, scenarios);
    }

    /** Per scenario and model of {@code responses}, the balance-weighted mean of its answers in the scenario. */
    public static double[][] table(ResponseMatrix responses, double[] balance, int[] scenarioOfItem, int scenarios) {
        double[][] table = new double[scenarios][responses.models()];
        double[] row = new double[responses.items()];
        int[] every = java.util.stream.IntStream.range(0, row.length).toArray();
        for (int l = 0; l < responses.models(); l++) {
            responses.row(l, row);
            double[] scores = of(row, every, balance, scenarioOfItem, scenarios);
            for (int s = 0; s < scenarios; s++) {
                table[s][l] = scores[s];
            }
        }
        return table;
    }

    /** A scenarios x models table of scores not read yet (NaN everywhere). */
    public static double[][] unread(int scenarios, int models) {
        double[][] values = new double[scenarios][models];
        for (double[] row : values) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        return values;
    }
}
