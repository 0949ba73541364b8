package dev.itembank.psychometrics.estimation;

import java.util.Arrays;
import java.util.Locale;

/** The full-score estimators a subset can be read with. */
public enum Estimator {
    /** The plain mean of the subset's answers in the scenario. */
    SUBSET_MEAN("subset-mean"),
    /** The subset's weighted mean (tinyBenchmarks' anchor estimate). */
    WEIGHTED("weighted"),
    /** tinyBenchmarks' p-IRT: answered share from the answers, the rest from the IRT prediction. */
    PIRT("pirt"),
    /** tinyBenchmarks' gp-IRT: weighted and p-IRT mixed by lambda. */
    GPIRT("gpirt"),
    /** metabench-style: an additive penalised cubic regression on (weighted mean, p-IRT) fitted on training models. */
    REGRESSION("regression"),
    /** The genetic selection's proxy: a line in the subset mean fitted on training models. */
    GENETIC_PROXY("genetic-proxy");

    private final String code;

    Estimator(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public boolean needsItems() {
        return this == PIRT || this == GPIRT || this == REGRESSION;
    }

    public static Estimator parse(String text) {
        String code = text.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown estimator '" + text + "': use one of "
                        + Arrays.stream(values()).map(Estimator::code).toList() + " or auto"));
    }
}
