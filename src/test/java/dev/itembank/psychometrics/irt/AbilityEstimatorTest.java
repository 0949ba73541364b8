package dev.itembank.psychometrics.irt;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AbilityEstimatorTest {

    /**
     * Given the package's WMDP parameters and each model's 200 anchor answers, the MLE ability reproduces the
     * package's predicted probabilities: its p-IRT estimate is l * mean(anchor answers) + (1 - l) * mean(P over
     * the scenario's other items), so the mean predicted probability follows from expected.csv.
     */
    @Test
    void mleAbilitiesFromTinyBenchmarksParametersReproduceThePackagesPredictions() {
        TinyBenchmarksReference reference = TinyBenchmarksReference.load();
        int[] anchors = reference.allAnchors();
        double worst = 0;
        for (String[] row : reference.expected()) {
            int model = Integer.parseInt(row[0]);
            String scenario = row[2];
            double[] answers = new double[anchors.length];
            for (int k = 0; k < anchors.length; k++) {
                answers[k] = reference.responses()[model][anchors[k]];
            }
            Ability ability = AbilityEstimator.estimate(reference.items(), anchors, answers, AbilityMethod.MLE);
            List<Integer> scenarioAnchors = reference.anchors().get(scenario);
            double anchorMean = scenarioAnchors.stream().mapToDouble(i -> reference.responses()[model][i]).average()
                    .orElseThrow();
            assertThat(anchorMean).isCloseTo(Double.parseDouble(row[3]), within(1e-6));
            double predicted = 0;
            int others = 0;
            int inScenario = 0;
            for (int i = 0; i < reference.itemIds().size(); i++) {
                if (reference.scenarios().get(i).equals(scenario)) {
                    inScenario++;
                    if (!scenarioAnchors.contains(i)) {
                        predicted += reference.items().probability(i, ability.theta());
                        others++;
                    }
                }
            }
            double share = (double) scenarioAnchors.size() / inScenario;
            double pirt = share * anchorMean + (1 - share) * predicted / others;
            worst = Math.max(worst, Math.abs(pirt - Double.parseDouble(row[5])));
        }
        assertThat(worst).as("largest |p-IRT - package| over 64 models x 2 scenarios").isLessThanOrEqualTo(1e-3);
    }

    @Test
    void mapAndEapMatchABruteForceGridOnASmallTest() {
        UnidimensionalItems items = new UnidimensionalItems(ItemModel.THREE_PL, new double[] {1.2, 0.8, 2.0, 1.5},
                new double[] {0.5, -0.3, 1.0, -1.2}, new double[] {0.2, 0.1, 0.0, 0.25}, new double[] {1, 1, 1, 1});
        int[] all = {0, 1, 2, 3};
        double[] answers = {1, 0, 1, 1};
        // brute force: the log-posterior on a fine grid
        double best = Double.NEGATIVE_INFINITY;
        double argmax = 0;
        double mass = 0;
        double first = 0;
        double second = 0;
        for (int k = 0; k <= 200_000; k++) {
            double theta = -8 + 16.0 * k / 200_000;
            double logPosterior = -theta * theta / 2;
            for (int j = 0; j < 4; j++) {
                double p = items.probability(j, theta);
                logPosterior += answers[j] == 1 ? Math.log(p) : Math.log(1 - p);
            }
            if (logPosterior > best) {
                best = logPosterior;
                argmax = theta;
            }
            double w = Math.exp(logPosterior);
            mass += w;
            first += w * theta;
            second += w * theta * theta;
        }
        double mean = first / mass;
        double sd = Math.sqrt(second / mass - mean * mean);
        Ability map = AbilityEstimator.estimate(items, all, answers, AbilityMethod.MAP);
        Ability eap = AbilityEstimator.estimate(items, all, answers, AbilityMethod.EAP);
        assertThat(map.theta()[0]).isCloseTo(argmax, within(1e-3));
        assertThat(map.converged()).isTrue();
        assertThat(eap.theta()[0]).isCloseTo(mean, within(1e-3));
        assertThat(eap.standardError()[0]).isCloseTo(sd, within(1e-3));
    }

    @Test
    void eapSumMatchesThePosteriorOfEveryPatternWithThatSum() {
        UnidimensionalItems items = UnidimensionalItems.twoPl(new double[] {1.0, 1.7, 0.6, 1.3, 2.1},
                new double[] {0.2, -0.9, 1.1, 0.0, -0.4});
        int[] all = {0, 1, 2, 3, 4};
        double[] answers = {1, 0, 1, 0, 0}; // sum score 2
        // brute force: P(sum = 2 | theta) is the sum over all 10 patterns with two correct answers
        double mass = 0;
        double first = 0;
        double second = 0;
        for (int k = 0; k <= 40_000; k++) {
            double theta = -8 + 16.0 * k / 40_000;
            double likelihood = 0;
            for (int pattern = 0; pattern < 32; pattern++) {
                if (Integer.bitCount(pattern) != 2) {
                    continue;
                }
                double product = 1;
                for (int j = 0; j < 5; j++) {
                    double p = items.probability(j, theta);
                    product *= (pattern >> j & 1) == 1 ? p : 1 - p;
                }
                likelihood += product;
            }
            double w = likelihood * Math.exp(-theta * theta / 2);
            mass += w;
            first += w * theta;
            second += w * theta * theta;
        }
        double mean = first / mass;
        Ability eapSum = AbilityEstimator.estimate(items, all, answers, AbilityMethod.EAP_SUM);
        assertThat(eapSum.theta()[0]).isCloseTo(mean, within(2e-3));
        assertThat(eapSum.standardError()[0]).isCloseTo(Math.sqrt(second / mass - mean * mean), within(2e-3));
    }

    @Test
    void mleOfARaschTestMatchesTheClosedFormScoreEquation() {
        // 1PL with a = 1: the MLE solves sum_j P_j(theta) = sum score
        double[] intercepts = {0.5, -0.5, 1.0, -1.0, 0.0, 0.3};
        double[] slopes = new double[6];
        Arrays.fill(slopes, 1.0);
        UnidimensionalItems items = UnidimensionalItems.twoPl(slopes, intercepts);
        double[] answers = {1, 1, 0, 1, 0, 1};
        Ability mle = AbilityEstimator.estimate(items, new int[] {0, 1, 2, 3, 4, 5}, answers, AbilityMethod.MLE);
        double expectedScore = 0;
        for (int j = 0; j < 6; j++) {
            expectedScore += items.probability(j, mle.theta()[0]);
        }
        assertThat(expectedScore).isCloseTo(4.0, within(1e-4));
        double information = 0;
        for (int j = 0; j < 6; j++) {
            information += items.information(j, mle.theta()[0]);
        }
        assertThat(mle.standardError()[0]).isCloseTo(1 / Math.sqrt(information), within(1e-6));
    }

    /**
     * 80 items, 3 right: the gradient at the origin is about 30, and a first BFGS step of -g lands at theta = -30,
     * where every probability is ~0 and the gradient vanishes, so BFGS stopped there. scipy's first step has length
     * about 1 and reaches the minimum; so must ours, and the Fisher-scoring MLE must find the same point: the one
     * where the score equation sum P_j(theta) = sum score holds (1PL, a = 1).
     */
    @Test
    void mleWithALargeGradientAtTheOriginReachesTheMinimumByScoringAndByBfgs() {
        int n = 80;
        double[] slopes = new double[n];
        double[] intercepts = new double[n];
        double[] answers = new double[n];
        int[] all = new int[n];
        for (int j = 0; j < n; j++) {
            slopes[j] = 1.0;
            intercepts[j] = 1.5 - 0.02 * j;
            answers[j] = j % 27 == 0 ? 1 : 0;
            all[j] = j;
        }
        UnidimensionalItems items = UnidimensionalItems.twoPl(slopes, intercepts);
        Ability mle = AbilityEstimator.estimate(items, all, answers, AbilityMethod.MLE);
        Bfgs.Result bfgs = Bfgs.minimize(new double[1], (theta, gradient) -> {
            double value = 0;
            gradient[0] = 0;
            for (int j = 0; j < n; j++) {
                double p = items.probability(j, theta[0]);
                value -= answers[j] * Math.log(p + AbilityEstimator.LOG_EPSILON)
                        + (1 - answers[j]) * Math.log(1 - p + AbilityEstimator.LOG_EPSILON);
                gradient[0] -= answers[j] - p;
            }
            return value;
        }, 1e-5, 200);
        for (double theta : new double[] {mle.theta()[0], bfgs.point()[0]}) {
            double expectedScore = 0;
            for (int j = 0; j < n; j++) {
                expectedScore += items.probability(j, theta);
            }
            assertThat(expectedScore).isCloseTo(3.0, within(1e-3));
        }
        assertThat(mle.theta()[0]).isCloseTo(bfgs.point()[0], within(1e-4));
    }

    @Test
    void allCorrectAndAllWrongAnswersGiveFiniteMapAndEapAbilities() {
        Simulated simulated = Simulated.multidimensional(10, 40, 3, 1L);
        int[] all = java.util.stream.IntStream.range(0, 40).toArray();
        double[] ones = new double[40];
        Arrays.fill(ones, 1.0);
        double[] zeros = new double[40];
        for (double[] answers : List.of(ones, zeros)) {
            for (AbilityMethod method : List.of(AbilityMethod.MAP, AbilityMethod.EAP)) {
                Ability ability = AbilityEstimator.estimate(simulated.truth(), all, answers, method);
                assertThat(Arrays.stream(ability.theta()).allMatch(Double::isFinite)).isTrue();
                assertThat(Arrays.stream(ability.standardError()).allMatch(se -> Double.isFinite(se) && se > 0))
                        .isTrue();
            }
        }
        UnidimensionalItems oneDimension = UnidimensionalItems.twoPl(new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Ability eapSum = AbilityEstimator.estimate(oneDimension, new int[] {0, 1, 2}, new double[] {1, 1, 1},
                AbilityMethod.EAP_SUM);
        assertThat(eapSum.theta()[0]).isFinite().isPositive();
    }

    @Test
    void skipsUnansweredItemsAndRejectsScoresOutsideTheUnitInterval() {
        UnidimensionalItems items = UnidimensionalItems.twoPl(new double[] {1, 1.5}, new double[] {0, 0.5});
        Ability skipped = AbilityEstimator.estimate(items, new int[] {0, 1}, new double[] {1, Double.NaN},
                AbilityMethod.MAP);
        Ability single = AbilityEstimator.estimate(items, new int[] {0}, new double[] {1}, AbilityMethod.MAP);
        assertThat(skipped.theta()[0]).isEqualTo(single.theta()[0]);
        assertThatThrownBy(() -> AbilityEstimator.estimate(items, new int[] {0}, new double[] {1.2},
                AbilityMethod.MAP)).hasMessageContaining("outside [0, 1]");
        assertThatThrownBy(() -> AbilityEstimator.estimate(items, new int[] {0}, new double[] {0.5},
                AbilityMethod.EAP_SUM)).hasMessageContaining("0/1");
    }
}
