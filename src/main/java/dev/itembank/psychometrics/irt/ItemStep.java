package dev.itembank.psychometrics.irt;

/**
 * The M-step of one item: a few Fisher-scoring steps with step halving on the item's expected complete-data
 * log-likelihood plus its log-prior, over (a, d, logit g, logit u) as far as the model frees them.
 */
final class ItemStep {

    private static final int SLOPE = 0;
    private static final int INTERCEPT = 1;
    private static final int GUESSING = 2;
    private static final int UPPER = 3;
    private static final int INNER_STEPS = 3;

    private final EmState state;
    private final int[] free;
    private final EmPriors priors;
    /** Distance between neighbouring quadrature nodes, for the exponential recurrence of the log-linear step. */
    private final double spacing;
    private final boolean uniformGrid;

    ItemStep(EmState state) {
        this.state = state;
        this.priors = state.options.priors();
        double[] nodes = state.nodes;
        this.spacing = nodes[1] - nodes[0];
        boolean uniform = true;
        for (int q = 1; q < nodes.length; q++) {
            uniform &= Math.abs(nodes[q] - nodes[0] - q * spacing) < 1e-12;
        }
        this.uniformGrid = uniform;
        this.free = switch (state.options.model()) {
            case ONE_PL -> new int[] {INTERCEPT};
            case TWO_PL -> new int[] {SLOPE, INTERCEPT};
            case THREE_PL -> new int[] {SLOPE, INTERCEPT, GUESSING};
            case FOUR_PL -> new int[] {SLOPE, INTERCEPT, GUESSING, UPPER};
        };
    }

    /** Updates item {@code i} in place; returns the largest change of a, d, g or u. */
    double update(int i, EmState.Expectation expectation, double[] slopeScore, double[] slopeInformation) {
        if (state.logLinear && uniformGrid) {
            return updateLogLinear(i, expectation, slopeScore, slopeInformation);
        }
        double[] params = {state.slope[i], state.intercept[i], logit(state.guessing[i]), logit(state.upper[i])};
        double[] gradient = new double[4];
        double[] information = new double[16];
        double objective = evaluate(i, params, expectation, gradient, information);
        for (int step = 0; step < INNER_STEPS; step++) {
            double[] direction = solve(gradient, information);
            if (direction == null) {
                break;
            }
            double scale = 1.0;
            double[] next = params.clone();
            double[] nextGradient = new double[4];
            double[] nextInformation = new double[16];
            double nextObjective = Double.NEGATIVE_INFINITY;
            while (scale > 1e-4) {
                for (int k = 0; k < free.length; k++) {
                    next[free[k]] = params[free[k]] + scale * direction[k];
                }
                nextObjective = evaluate(i, next, expectation, nextGradient, nextInformation);
                if (nextObjective >= objective - 1e-12) {
                    break;
                }
                scale /= 2;
            }
            if (!(nextObjective >= objective - 1e-12)) {
                break;
            }
            double moved = 0;
            for (int k = 0; k < free.length; k++) {
                moved = Math.max(moved, Math.abs(next[free[k]] - params[free[k]]));
            }
            params = next;
            objective = nextObjective;
            gradient = nextGradient;
            information = nextInformation;
            if (moved < 1e-9) {
                break;
            }
        }
        double change = Math.max(Math.abs(params[INTERCEPT] - state.intercept[i]),
                Math.abs(params[SLOPE] - state.slope[i]));
        state.slope[i] = params[SLOPE];
        state.intercept[i] = params[INTERCEPT];
        if (state.options.model().hasGuessing()) {
            double g = Logistic.sigmoid(params[GUESSING]);
            change = Math.max(change, Math.abs(g - state.guessing[i]));
            state.guessing[i] = g;
        }
        if (state.options.model().hasUpperAsymptote()) {
            double u = Logistic.sigmoid(params[UPPER]);
            change = Math.max(change, Math.abs(u - state.upper[i]));
            state.upper[i] = u;
        }
        if (state.options.model() == ItemModel.ONE_PL) {
            slopeContribution(i, expectation, slopeScore, slopeInformation);
        }
        return change;
    }

    /**
     * The 1PL/2PL step without allocation or logarithms. The item's expected complete-data log-likelihood plus
     * log-prior is
     *
     * <pre>
     *   Q(a, d) = a R1 + d R0 - sum_q n_q softplus(a x_q + d) + log N(a; mu_a, s_a^2) + log N(d; 0, s_d^2),
     * </pre>
     *
     * concave, with gradient (R1 - sum n_q P_q x_q, R0 - sum n_q P_q) and Hessian -sum n_q P_q (1 - P_q) (x_q^2,
     * x_q; x_q, 1) (less the prior precisions), where R1 = sum over models of y E[theta] and R0 = sum of y. On the
     * evenly spaced grid x_q = x_0 + q h, e^(a x_q + d) = e^(a x_0 + d) (e^(a h))^q, so each evaluation costs two
     * exponentials per item rather than one per node. A Newton step is taken whole when the slope of Q along it is
     * still non-negative at its end (Q then rose, Q being concave), or when it is short and the trapezoid of the
     * two slopes is non-negative (exact to third order); otherwise Q itself decides, halving the step until Q does
     * not fall, as the general path does.
     */
    private double updateLogLinear(int i, EmState.Expectation expectation, double[] slopeScore,
            double[] slopeInformation) {
        boolean slopeFree = state.options.model() == ItemModel.TWO_PL;
        double a = state.slope[i];
        double d = state.intercept[i];
        double[] sums = new double[5];
        curveSums(i, a, d, expectation, sums);
        for (int step = 0; step < INNER_STEPS; step++) {
            double ga = sums[0];
            double gd = sums[1];
            double haa = sums[2];
            double had = sums[3];
            double hdd = sums[4];
            double da;
            double dd;
            if (slopeFree) {
                double det = haa * hdd - had * had;
                if (!(det > 0)) {
                    break;
                }
                da = (hdd * ga - had * gd) / det;
                dd = (haa * gd - had * ga) / det;
            } else {
                if (!(hdd > 0)) {
                    break;
                }
                da = 0;
                dd = gd / hdd;
            }
            double along = ga * da + gd * dd;
            double scale = 1.0;
            boolean accepted = false;
            double[] next = new double[5];
            while (scale > 1e-4) {
                curveSums(i, a + scale * da, d + scale * dd, expectation, next);
                double end = next[0] * da + next[1] * dd;
                double length = scale * Math.max(Math.abs(da), Math.abs(dd));
                if (end >= 0 || (length < 0.5 && along + end >= 0)
                        || logLinearObjective(i, a + scale * da, d + scale * dd, expectation)
                                >= logLinearObjective(i, a, d, expectation) - 1e-12) {
                    accepted = true;
                    break;
                }
                scale /= 2;
            }
            if (!accepted) {
                break;
            }
            a += scale * da;
            d += scale * dd;
            System.arraycopy(next, 0, sums, 0, 5);
            if (scale * Math.max(Math.abs(da), Math.abs(dd)) < 1e-9) {
                break;
            }
        }
        double change = Math.max(Math.abs(a - state.slope[i]), Math.abs(d - state.intercept[i]));
        state.slope[i] = a;
        state.intercept[i] = d;
        if (!slopeFree) {
            slopeContribution(i, expectation, slopeScore, slopeInformation);
        }
        return change;
    }

    /**
     * Gradient (0: a, 1: d) and negative Hessian (2: aa, 3: ad, 4: dd) of Q at (a, d), priors included.
     */
    private void curveSums(int i, double a, double d, EmState.Expectation expectation, double[] sums) {
        double[] nodes = state.nodes;
        int points = state.points;
        double ga = expectation.weightedAbility()[i];
        double gd = state.scoreSums[i];
        double haa = 0;
        double had = 0;
        double hdd = 0;
        double[] mass = expectation.posteriorMass();
        double[] missing = expectation.missingMass();
        int from = i * points;
        // the recurrence where e^z cannot overflow on the grid, the logistic function itself otherwise
        boolean recurrence = Math.abs(a) * Math.abs(nodes[0]) + Math.abs(d) < 600 && Math.abs(a * spacing) < 300;
        double e = recurrence ? Math.exp(a * nodes[0] + d) : 0;
        double ratio = recurrence ? Math.exp(a * spacing) : 0;
        for (int q = 0; q < points; q++) {
            double n = missing == null ? mass[q] : mass[q] - missing[from + q];
            double x = nodes[q];
            double s = recurrence ? e / (1 + e) : Logistic.sigmoid(a * x + d);
            double ns = n * s;
            double w = ns * (1 - s);
            ga -= ns * x;
            gd -= ns;
            haa += w * x * x;
            had += w * x;
            hdd += w;
            e *= ratio;
        }
        double slopePrecision = 1 / (priors.slopeSd() * priors.slopeSd());
        double interceptPrecision = 1 / (priors.interceptSd() * priors.interceptSd());
        sums[0] = ga - (a - priors.slopeMean()) * slopePrecision;
        sums[1] = gd - d * interceptPrecision;
        sums[2] = haa + slopePrecision;
        sums[3] = had;
        sums[4] = hdd + interceptPrecision;
    }

    /** Q(a, d) of the log-linear item, for the rare step that the slopes cannot accept. */
    private double logLinearObjective(int i, double a, double d, EmState.Expectation expectation) {
        double value = a * expectation.weightedAbility()[i] + d * state.scoreSums[i];
        for (int q = 0; q < state.points; q++) {
            value -= expectation.answeredMass(i, q, state.points) * EmState.softplus(a * state.nodes[q] + d);
        }
        double slopeGap = a - priors.slopeMean();
        return value - 0.5 * slopeGap * slopeGap / (priors.slopeSd() * priors.slopeSd())
                - 0.5 * d * d / (priors.interceptSd() * priors.interceptSd());
    }

    /**
     * Expected complete-data log-likelihood of item i plus its log-prior at {@code params}, with the gradient and
     * expected information over all four parameters.
     */
    private double evaluate(int i, double[] params, EmState.Expectation expectation, double[] gradient,
            double[] information) {
        java.util.Arrays.fill(gradient, 0);
        java.util.Arrays.fill(information, 0);
        double a = params[SLOPE];
        double d = params[INTERCEPT];
        int points = state.points;
        double value;
        if (state.logLinear) {
            // a R1 + d R0 - sum_q n_q softplus(a x_q + d)
            value = a * expectation.weightedAbility()[i] + d * state.scoreSums[i];
            gradient[SLOPE] = expectation.weightedAbility()[i];
            gradient[INTERCEPT] = state.scoreSums[i];
            for (int q = 0; q < points; q++) {
                double n = expectation.answeredMass(i, q, points);
                double x = state.nodes[q];
                double z = a * x + d;
                double s = Logistic.sigmoid(z);
                value -= n * EmState.softplus(z);
                gradient[SLOPE] -= n * s * x;
                gradient[INTERCEPT] -= n * s;
                double w = n * s * (1 - s);
                information[0] += w * x * x;
                information[1] += w * x;
                information[5] += w;
            }
            information[4] = information[1];
        } else {
            double g = Logistic.sigmoid(params[GUESSING]);
            double u = state.options.model().hasUpperAsymptote() ? Logistic.sigmoid(params[UPPER]) : 1.0;
            if (state.options.model().hasGuessing() && g >= u - 1e-3) {
                return Double.NEGATIVE_INFINITY;
            }
            if (!state.options.model().hasGuessing()) {
                g = 0;
            }
            value = 0;
            double[] dp = new double[4];
            double[] expected = expectation.expectedCorrect();
            for (int q = 0; q < points; q++) {
                double n = expectation.answeredMass(i, q, points);
                double r = expected[i * points + q];
                double x = state.nodes[q];
                double s = Logistic.sigmoid(a * x + d);
                double p = AbilityEstimator.clampProbability(g + (u - g) * s);
                value += r * Math.log(p) + (n - r) * Math.log(1 - p);
                // dP/da = (u - g) s (1 - s) x; dP/dd = (u - g) s (1 - s); dP/dlogit g = g (1 - g)(1 - s);
                // dP/dlogit u = u (1 - u) s
                double core = (u - g) * s * (1 - s);
                dp[SLOPE] = core * x;
                dp[INTERCEPT] = core;
                dp[GUESSING] = g * (1 - g) * (1 - s);
                dp[UPPER] = state.options.model().hasUpperAsymptote() ? u * (1 - u) * s : 0;
                double variance = p * (1 - p);
                double weight = (r - n * p) / variance;
                for (int row = 0; row < 4; row++) {
                    gradient[row] += weight * dp[row];
                    for (int col = 0; col < 4; col++) {
                        information[row * 4 + col] += n * dp[row] * dp[col] / variance;
                    }
                }
            }
        }
        value += prior(SLOPE, a, priors.slopeMean(), priors.slopeSd(), gradient, information);
        value += prior(INTERCEPT, d, 0.0, priors.interceptSd(), gradient, information);
        if (state.options.model().hasGuessing()) {
            value += prior(GUESSING, params[GUESSING], priors.guessingLogitMean(), priors.guessingLogitSd(),
                    gradient, information);
        }
        if (state.options.model().hasUpperAsymptote()) {
            value += prior(UPPER, params[UPPER], priors.upperLogitMean(), priors.upperLogitSd(), gradient,
                    information);
        }
        return value;
    }

    // log N(value; mean, sd^2) up to a constant, with its gradient and information
    private static double prior(int index, double value, double mean, double sd, double[] gradient,
            double[] information) {
        double precision = 1 / (sd * sd);
        gradient[index] -= (value - mean) * precision;
        information[index * 4 + index] += precision;
        return -0.5 * (value - mean) * (value - mean) * precision;
    }

    private double[] solve(double[] gradient, double[] information) {
        int k = free.length;
        double[] sub = new double[k * k];
        double[] rhs = new double[k];
        for (int r = 0; r < k; r++) {
            rhs[r] = gradient[free[r]];
            for (int c = 0; c < k; c++) {
                sub[r * k + c] = information[free[r] * 4 + free[c]];
            }
        }
        try {
            return SmallMatrices.solve(sub, rhs, k);
        } catch (org.hipparchus.exception.MathRuntimeException e) {
            return null;
        }
    }

    /** The item's share of the common slope's score and information (1PL), at its updated intercept. */
    private void slopeContribution(int i, EmState.Expectation expectation, double[] score, double[] information) {
        double a = state.slope[i];
        double d = state.intercept[i];
        double sum = expectation.weightedAbility()[i];
        double info = 0;
        for (int q = 0; q < state.points; q++) {
            double n = expectation.answeredMass(i, q, state.points);
            double x = state.nodes[q];
            double s = Logistic.sigmoid(a * x + d);
            sum -= n * s * x;
            info += n * s * (1 - s) * x * x;
        }
        score[i] = sum;
        information[i] = info;
    }

    /** One Fisher-scoring step of the slope all 1PL items share; returns its change. */
    double updateCommonSlope(double[] score, double[] information) {
        double a = state.slope[0];
        double totalScore = -(a - priors.slopeMean()) / (priors.slopeSd() * priors.slopeSd());
        double totalInformation = 1 / (priors.slopeSd() * priors.slopeSd());
        for (int i = 0; i < score.length; i++) {
            totalScore += score[i];
            totalInformation += information[i];
        }
        double next = a + totalScore / totalInformation;
        java.util.Arrays.fill(state.slope, next);
        return Math.abs(next - a);
    }

    private static double logit(double p) {
        if (p <= 0) {
            return -30;
        }
        if (p >= 1) {
            return 30;
        }
        return Logistic.logit(p);
    }
}
