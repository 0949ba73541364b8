package dev.itembank.psychometrics.selection;

/**
 * How many items to keep per scenario: a count per scenario (tinyBenchmarks' convention), a total spread over
 * the scenarios in proportion to their sizes, or a fraction of each scenario.
 */
public sealed interface Budget {

    /** Items to keep in each scenario, given the scenarios' sizes; never more than a scenario has, at least 1. */
    int[] perScenario(int[] scenarioSizes);

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
            int[] budget = new int[sizes.length];
            for (int s = 0; s < sizes.length; s++) {
                budget[s] = Math.min(counts[s], sizes[s]);
            }
            return budget;
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
            int[] budget = new int[sizes.length];
            for (int s = 0; s < sizes.length; s++) {
                budget[s] = Math.min(count, sizes[s]);
            }
            return budget;
        }
    }

    record Total(int count) implements Budget {
        public Total {
            if (count < 1) {
                throw new IllegalArgumentException("totalItems must be >= 1, got " + count);
            }
        }

        /** Proportional to the sizes by largest remainders, at least one item per scenario. */
        @Override
        public int[] perScenario(int[] sizes) {
            long all = java.util.Arrays.stream(sizes).asLongStream().sum();
            int[] budget = new int[sizes.length];
            double[] remainders = new double[sizes.length];
            int given = 0;
            for (int s = 0; s < sizes.length; s++) {
                double exact = (double) count * sizes[s] / all;
                budget[s] = Math.max(1, Math.min(sizes[s], (int) Math.floor(exact)));
                remainders[s] = exact - Math.floor(exact);
                given += budget[s];
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
            int[] budget = new int[sizes.length];
            for (int s = 0; s < sizes.length; s++) {
                budget[s] = Math.max(1, Math.min(sizes[s], (int) Math.round(share * sizes[s])));
            }
            return budget;
        }
    }
}
