package dev.itembank.psychometrics.selection;

/**
 * How many items to keep per scenario: a count per scenario (tinyBenchmarks' convention), a total spread over
 * the scenarios in proportion to their sizes, or a fraction of each scenario.
 */
public sealed interface Budget {

    /**
     * Items to keep in each scenario, given the scenarios' sizes: never more than a scenario has, and at least 1 in
     * every scenario that has an item (but {@link Explicit}, whose counts are exact and may be 0).
     */
    int[] perScenario(int[] scenarioSizes);

    /** Per scenario, {@code wanted} of its size capped by the size, and raised to 1 where it has an item if asked. */
    private static int[] capped(int[] sizes, java.util.function.IntUnaryOperator wanted, boolean atLeastOne) {
        int[] budget = new int[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            int count = Math.min(wanted.applyAsInt(s), sizes[s]);
            budget[s] = atLeastOne && sizes[s] > 0 ? Math.max(1, count) : count;
        }
        return budget;
    }

    static Budget itemsPerScenario(int count) {
        return new PerScenario(count);
    }

    static Budget totalItems(int count) {
        return new Total(count);
    }

    static Budget fraction(double share) {
        return new Fraction(share);
    }

    /** Exactly these counts per scenario, in scenario order (0 allowed: the scenario gets no item). */
    static Budget explicit(int[] counts) {
        return new Explicit(counts.clone());
    }

    record Explicit(int[] counts) implements Budget {
        public Explicit {
            if (java.util.Arrays.stream(counts).anyMatch(c -> c < 0)) {
                throw new IllegalArgumentException("counts must be >= 0, got " + java.util.Arrays.toString(counts));
            }
        }

        @Override
        public int[] perScenario(int[] sizes) {
            if (sizes.length != counts.length) {
                throw new IllegalArgumentException("expected " + counts.length + " scenarios, got " + sizes.length);
            }
            return capped(sizes, s -> counts[s], false);
        }
    }

    record PerScenario(int count) implements Budget {
        public PerScenario {
            if (count < 1) {
                throw new IllegalArgumentException("itemsPerScenario must be >= 1, got " + count);
            }
        }

        @Override
        public int[] perScenario(int[] sizes) {
            return capped(sizes, s -> count, true);
        }
    }

    record Total(int count) implements Budget {
        public Total {
            if (count < 1) {
                throw new IllegalArgumentException("totalItems must be >= 1, got " + count);
            }
        }

        /**
         * One item in each scenario that has any, the rest of the total in proportion to what each has left, by
         * largest remainders: the sum is the total (or every item, or one per scenario when the total is smaller).
         */
        @Override
        public int[] perScenario(int[] sizes) {
            int[] budget = capped(sizes, s -> 0, true);
            int rest = count - java.util.Arrays.stream(budget).sum();
            long spare = 0;
            for (int s = 0; s < sizes.length; s++) {
                spare += sizes[s] - budget[s];
            }
            if (rest <= 0 || spare == 0) {
                return budget;
            }
            double[] remainders = new double[sizes.length];
            int given = count - rest;
            for (int s = 0; s < sizes.length; s++) {
                double exact = (double) Math.min(rest, spare) * (sizes[s] - budget[s]) / spare;
                budget[s] += (int) Math.floor(exact);
                remainders[s] = exact - Math.floor(exact);
                given += (int) Math.floor(exact);
            }
            while (given < count) {
                int best = -1;
                for (int s = 0; s < sizes.length; s++) {
                    if (budget[s] < sizes[s] && (best < 0 || remainders[s] > remainders[best])) {
                        best = s;
                    }
                }
                if (best < 0) {
                    break;
                }
                budget[best]++;
                remainders[best] = -1;
                given++;
            }
            return budget;
        }
    }

    record Fraction(double share) implements Budget {
        public Fraction {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("fraction must be in (0, 1], got " + share);
            }
        }

        @Override
        public int[] perScenario(int[] sizes) {
            return capped(sizes, s -> (int) Math.round(share * sizes[s]), true);
        }
    }
}
