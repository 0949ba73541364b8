package dev.itembank.psychometrics.adaptive;

/**
 * When an adaptive test stops and how many items it asks at a time. A test stops once every covered scenario has
 * {@link #MIN_PER_SCENARIO} answers and either target is met, or when it has asked {@code maxItems}, or when no
 * eligible item is left.
 *
 * @param standardError stop when every dimension's ability standard error is at most this (NaN: no such target)
 * @param intervalHalfWidth stop when the overall full-score interval's half-width is at most this (NaN: none)
 * @param maxItems the most items a test asks
 * @param batchSize items asked at a time (lm-eval runs items in batches)
 */
public record StoppingRule(double standardError, double intervalHalfWidth, int maxItems, int batchSize) {

    /** Answers each covered scenario needs before a precision target may stop the test. */
    public static final int MIN_PER_SCENARIO = 5;
    /** Items per covered scenario asked at most by default: half of the fixed subsets' 100. */
    public static final int DEFAULT_ITEMS_PER_SCENARIO = 50;

    public StoppingRule {
        if (maxItems < 1 || batchSize < 1) {
            throw new IllegalArgumentException("maxItems and batchSize must be >= 1");
        }
        if (!Double.isNaN(standardError) && !(standardError > 0)) {
            throw new IllegalArgumentException("standardError must be > 0");
        }
        if (!Double.isNaN(intervalHalfWidth) && !(intervalHalfWidth > 0)) {
            throw new IllegalArgumentException("intervalHalfWidth must be > 0");
        }
    }

    /** At most {@link #DEFAULT_ITEMS_PER_SCENARIO} per covered scenario, {@code batchSize} at a time, no target. */
    public static StoppingRule defaults(int coveredScenarios, int batchSize) {
        return new StoppingRule(Double.NaN, Double.NaN, DEFAULT_ITEMS_PER_SCENARIO * Math.max(1, coveredScenarios),
                batchSize);
    }
}
