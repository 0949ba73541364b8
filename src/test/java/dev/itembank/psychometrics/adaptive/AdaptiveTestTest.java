package dev.itembank.psychometrics.adaptive;

import java.util.Arrays;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.UnidimensionalItems;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.matrix.ScenarioScores;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adaptive engine on simulated 2PL data with known parameters: sessions never repeat or leak excluded items,
 * balance scenarios and sub-scenarios, recover abilities, stop by their rules, and read full scores whose calibrated
 * intervals cover held-out models' true scores about as often as they claim.
 */
class AdaptiveTestTest {

    /** 2PL items in three scenarios (the first with two sub-scenarios), slopes 0.5-2.5, intercepts -2..2. */
    private static AdaptiveDesign design(int items, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] slope = random.doubles(items, 0.5, 2.5).toArray();
        double[] intercept = random.doubles(items, -2, 2).toArray();
        int[] scenario = new int[items];
        int[] sub = new int[items];
        for (int j = 0; j < items; j++) {
            scenario[j] = j % 3;
            sub[j] = scenario[j] == 0 && j % 2 == 0 ? 1 : 0;
        }
        return AdaptiveDesign.of(UnidimensionalItems.twoPl(slope, intercept), scenario, sub);
    }

    /** A model's answers drawn from the design's own items at ability theta. */
    private static double[] answers(AdaptiveDesign design, double theta, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] row = new double[design.bank().items()];
        for (int j = 0; j < row.length; j++) {
            row[j] = random.nextDouble() < design.bank().probability(j, new double[] {theta}) ? 1 : 0;
        }
        return row;
    }

    @Property(tries = 25)
    void sessionsAskDistinctEligibleItemsBalancedAcrossScenarios(@ForAll @IntRange(min = 1, max = 12) int batch,
            @ForAll @IntRange(min = 3, max = 60) int maxItems, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        AdaptiveDesign full = design(150, seed);
        boolean[] excluded = new boolean[150];
        for (int j = 0; j < 150; j += 7) {
            excluded[j] = true;
        }
        AdaptiveDesign design = full.restricted(null, excluded);
        StoppingRule rule = new StoppingRule(Double.NaN, Double.NaN, maxItems, batch);
        double[] row = answers(design, new SplittableRandom(seed).nextDouble(-2, 2), seed);
        AdaptiveTest.Simulated session = AdaptiveTest.simulate(design, rule, AdaptiveCalibration.none(3), row, seed,
                0.9);
        int[] asked = session.asked();
        assertThat(Arrays.stream(asked).distinct().count()).isEqualTo(asked.length);
        assertThat(asked.length).isEqualTo(maxItems);
        assertThat(Arrays.stream(asked).noneMatch(j -> excluded[j])).isTrue();
        int[] perScenario = new int[3];
        for (int j : asked) {
            perScenario[design.scenarioOfItem()[j]]++;
        }
        int max = Arrays.stream(perScenario).max().orElseThrow();
        int min = Arrays.stream(perScenario).min().orElseThrow();
        assertThat(max - min).as("balanced: " + Arrays.toString(perScenario)).isLessThanOrEqualTo(1);
        assertThat(session.last().reason()).isEqualTo("maxItems");
    }

    @Test
    void theStandardErrorRuleStopsOnceTheAbilityIsPreciseAndTheEstimateRecoversIt() {
        AdaptiveDesign design = design(600, 1);
        StoppingRule rule = new StoppingRule(0.3, Double.NaN, 300, 5);
        double theta = 0.8;
        AdaptiveTest.Simulated session = AdaptiveTest.simulate(design, rule, AdaptiveCalibration.none(3),
                answers(design, theta, 2), 3, 0.9);
        assertThat(session.last().reason()).isEqualTo("standardError");
        assertThat(session.last().ability().standardError()[0]).isLessThanOrEqualTo(0.3);
        assertThat(session.asked().length).isLessThan(300);
        assertThat(session.last().ability().theta()[0]).isCloseTo(theta, org.assertj.core.data.Offset.offset(0.75));
    }

    @Test
    void adaptiveItemsAreMoreInformativeThanRandomOnes() {
        AdaptiveDesign design = design(600, 4);
        double theta = 1.5;
        AdaptiveTest.Simulated session = AdaptiveTest.simulate(design, new StoppingRule(Double.NaN, Double.NaN, 30, 5),
                AdaptiveCalibration.none(3), answers(design, theta, 5), 6, 0.9);
        double adaptive = design.bank().testInformation(session.asked(), new double[] {theta})[0];
        int[] random = new SplittableRandom(7).ints(0, 600).distinct().limit(30).toArray();
        double baseline = design.bank().testInformation(random, new double[] {theta})[0];
        assertThat(adaptive).as("information at the true ability").isGreaterThan(1.5 * baseline);
    }

    @Test
    void calibratedIntervalsCoverHeldOutModelsAtAboutTheirLevel() {
        AdaptiveDesign design = design(450, 8);
        StoppingRule rule = new StoppingRule(Double.NaN, Double.NaN, 45, 5);
        SplittableRandom abilities = new SplittableRandom(9);
        AdaptiveCalibration calibration = AdaptiveCalibration.fit(design, rule, models(design, 100, abilities, 100), 10,
                0.9);
        assertThat(calibration.fitted()).isTrue();
        int covered = 0;
        int models = 200;
        double absolute = 0;
        for (int l = 0; l < models; l++) {
            double[] row = answers(design, abilities.nextGaussian(), 1000 + l);
            AdaptiveTest.Reading reading = AdaptiveTest.simulate(design, rule, calibration, row, l, 0.9).last()
                    .reading();
            double[] truth = ScenarioScores.of(row, design.balance(), design.scenarioOfItem(), 3);
            double overall = Arrays.stream(truth).average().orElseThrow();
            double half = calibration.halfWidth(reading, -1, 0.9);
            covered += Math.abs(reading.overall() - overall) <= half ? 1 : 0;
            absolute += Math.abs(reading.overall() - overall);
        }
        assertThat((double) covered / models).as("coverage of nominal 90% intervals").isBetween(0.82, 0.97);
        assertThat(absolute / models).as("MAE with 15 items per scenario of 150").isLessThan(0.06);
    }

    /**
     * Where the calibration misdescribes a scenario (its answers follow a second ability, independent of the one the
     * unidimensional items were calibrated on), the simulated sessions find that informative items read through the
     * calibration miss there by more than a random sample read by AIPW, and the sessions draw that scenario's
     * items at random, by sub-scenario in proportion to their share of its score (not to their size), while the
     * others stay adaptive.
     * Held-out models are then read there about as well as the simulation promised, with intervals that cover.
     */
    @Test
    void aScenarioTheCalibrationMisdescribesIsSampledAtRandomAndReadByItsMean() {
        // scenario 0's second sub-scenario holds a fifth of its items and, by the balance weights, half its score
        AdaptiveDesign items = design(450, 8);
        int[] sub = new int[450];
        for (int j = 0; j < 450; j++) {
            sub[j] = items.scenarioOfItem()[j] == 0 && (j / 3) % 5 == 0 ? 1 : 0;
        }
        AdaptiveDesign design = AdaptiveDesign.of(items.bank(), items.scenarioOfItem(), sub);
        StoppingRule rule = new StoppingRule(Double.NaN, Double.NaN, 45, 5);
        SplittableRandom abilities = new SplittableRandom(11);
        ResponseMatrix.Builder training = ResponseMatrix.binary(100, 450);
        for (int l = 0; l < 100; l++) {
            double[] row = twoAbilities(design, abilities.nextGaussian(), abilities.nextGaussian(), 500 + l);
            for (int j = 0; j < 450; j++) {
                training.set(l, j, row[j]);
            }
        }
        AdaptiveCalibration calibration = AdaptiveCalibration.fit(design, rule, training.build(), 12, 0.9);
        assertThat(calibration.sampled()).containsExactly(true, false, false);
        double[][] simulated = calibration.simulated();
        assertThat(simulated[0][1]).as("scenario 0: random sample against information").isLessThan(simulated[0][0]);
        assertThat(simulated[1][0]).as("scenario 1: information against random sample").isLessThan(simulated[1][1]);
        int models = 200;
        double absolute = 0;
        int covered = 0;
        for (int l = 0; l < models; l++) {
            double[] row = twoAbilities(design, abilities.nextGaussian(), abilities.nextGaussian(), 2000 + l);
            AdaptiveTest.Simulated session = AdaptiveTest.simulate(design, rule, calibration, row, l, 0.9);
            int[] bySub = new int[2];
            for (int j : session.asked()) {
                if (design.scenarioOfItem()[j] == 0) {
                    bySub[design.subscenarioOfItem()[j]]++;
                }
            }
            assertThat(bySub[0] + bySub[1]).isEqualTo(15);
            assertThat(Math.abs(bySub[0] - bySub[1])).as("equal shares of the score, sizes 4:1: "
                    + Arrays.toString(bySub)).isLessThanOrEqualTo(1);
            AdaptiveTest.Reading reading = session.last().reading();
            double truth = ScenarioScores.of(row, design.balance(), design.scenarioOfItem(), 3)[0];
            absolute += Math.abs(reading.estimate()[0] - truth);
            covered += Math.abs(reading.estimate()[0] - truth) <= calibration.halfWidth(reading, 0, 0.9) ? 1 : 0;
        }
        assertThat(absolute / models).as("held-out MAE in scenario 0 against the simulated random sample's")
                .isBetween(0.7 * simulated[0][1], 1.3 * simulated[0][1]).isLessThan(simulated[0][0]);
        assertThat((double) covered / models).as("coverage of nominal 90% intervals in scenario 0")
                .isBetween(0.82, 0.99);
    }

    /** Answers to the design's items at ability theta, except scenario 0's, which follow ability other. */
    private static double[] twoAbilities(AdaptiveDesign design, double theta, double other, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] row = new double[design.bank().items()];
        for (int j = 0; j < row.length; j++) {
            double ability = design.scenarioOfItem()[j] == 0 ? other : theta;
            row[j] = random.nextDouble() < design.bank().probability(j, new double[] {ability}) ? 1 : 0;
        }
        return row;
    }

    @Test
    void crossFittingNamesEachHalfTheSameWayInEveryFitSoThatItsItemsCanBeKept() {
        AdaptiveDesign design = design(120, 3);
        StoppingRule rule = new StoppingRule(Double.NaN, Double.NaN, 12, 4);
        ResponseMatrix training = models(design, 60, new SplittableRandom(5), 300);
        java.util.List<java.util.Map<Integer, Double>> fits = new java.util.ArrayList<>();
        for (int run = 0; run < 2; run++) {
            java.util.Map<Integer, Double> firstRowMeans = new java.util.TreeMap<>();
            AdaptiveCalibration.fit(design, rule, training, 10, 0.9, (half, models) -> {
                // a fingerprint of which models this half holds: the sum of their mean scores
                double fingerprint = 0;
                for (int l = 0; l < models.models(); l++) {
                    fingerprint += models.rowMean(l);
                }
                assertThat(firstRowMeans.put(half, fingerprint)).as("half %d asked once per fit", half).isNull();
                return design.bank();
            });
            fits.add(firstRowMeans);
        }
        assertThat(fits.get(0)).containsOnlyKeys(0, 1).isEqualTo(fits.get(1));
        double all = 0;
        for (int l = 0; l < 60; l++) {
            all += training.rowMean(l);
        }
        assertThat(fits.get(0).get(0) + fits.get(0).get(1)).as("the halves split the training models")
                .isCloseTo(all, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fits.get(0).get(0)).isNotCloseTo(fits.get(0).get(1), org.assertj.core.data.Offset.offset(1e-9));
    }

    /** Models answering every item of the design, abilities drawn from N(0, 1), answers seeded from firstSeed on. */
    private static ResponseMatrix models(AdaptiveDesign design, int count, SplittableRandom abilities, long firstSeed) {
        int items = design.bank().items();
        ResponseMatrix.Builder builder = ResponseMatrix.binary(count, items);
        for (int l = 0; l < count; l++) {
            double[] row = answers(design, abilities.nextGaussian(), firstSeed + l);
            for (int j = 0; j < items; j++) {
                builder.set(l, j, row[j]);
            }
        }
        return builder.build();
    }
}
