package dev.itembank.psychometrics.estimation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.ItemBank;
import dev.itembank.psychometrics.irt.JointMapCalibrator;
import dev.itembank.psychometrics.matrix.ResponseMatrix;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.RandomSelection;
import dev.itembank.psychometrics.selection.SelectionInput;
import dev.itembank.psychometrics.selection.Subset;
import dev.itembank.support.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * New models stronger than every training model (Zhang, Dorner and Hardt's extrapolation split on WMDP: train on
 * the weakest 50%, estimate the strongest 30%). Fitted readings extrapolate there; the estimate must notice, fall
 * back to the design-based reading (AIPW or the random sample's plain mean, whichever has the smaller sampling error
 * for the model), and keep an interval that covers.
 */
class ExtrapolationTest {

    @Test
    void modelsBeyondTheTrainingRangeAreReadByTheDesignBasedReadingWithIntervalsThatStillCover() {
        WeakHalf split = WeakHalf.of();
        double[][] truth = split.truth();
        double guarded = 0;
        double unguarded = 0;
        double plain = 0;
        int covered = 0;
        int flagged = 0;
        int parts = 0;
        for (StrongReading read : split.strongReadings(model -> model)) {
            for (int s = 0; s < 2; s++) {
                ScoreEstimate.Part part = read.estimate().scenarios().get(s);
                double t = truth[s][read.model()];
                parts++;
                guarded += Math.abs(part.estimate() - t);
                double chosen = part.estimators().get(read.fitted().chosen().get(s));
                unguarded += Math.abs(Math.max(0, Math.min(1, chosen)) - t);
                plain += Math.abs(part.estimators().get("weighted") - t);
                covered += part.lower() <= t && t <= part.upper() ? 1 : 0;
                if (part.extrapolated()) {
                    flagged++;
                    assertThat(part.estimator()).isEqualTo(EstimationModel.DESIGN);
                    assertThat(read.estimate().overall().extrapolated()).isTrue();
                }
            }
        }
        // measured: 114 of 114 parts flagged; MAE 0.033 (0.035 with the plain mean in the fallback not
        // post-stratified, 0.037 with AIPW as the fallback) against 0.046 for the
        // estimators chosen by cross-validation on the weak models and 0.050 for the plain weighted mean; coverage 0.90
        assertThat(flagged).as("parts read as extrapolation").isGreaterThanOrEqualTo(parts * 3 / 4);
        assertThat(guarded / parts).as("MAE with the fallback").isLessThan(0.85 * plain / parts)
                .isLessThan(unguarded / parts);
        assertThat((double) covered / parts).as("coverage of the 90% intervals").isBetween(0.85, 0.97);
    }

    /**
     * On a searched subset (anchors) the fallback is the design-based reading with the anchors' weights, used only
     * when AIPW lies beyond the training models by more than its sampling half-width; the models it takes are read
     * better than by the estimators fitted on the weak models.
     */
    @Test
    void onAnchorsTheFallbackTakesOnlyModelsClearlyBeyondAndReadsThemBetter() {
        WeakHalf split = WeakHalf.of();
        double[][] truth = split.truth();
        Subset anchors = dev.itembank.psychometrics.selection.AnchorSelection.select(split.input(),
                Budget.itemsPerScenario(50), 0L, dev.itembank.psychometrics.selection.AnchorSelection.Features.IRT,
                null);
        EstimationModel model = split.fit(anchors);
        double fallback = 0;
        double chosen = 0;
        int flagged = 0;
        for (int l : split.strongest()) {
            ScoreEstimate estimate = model.estimate(split.answers(anchors, l), 0.9);
            for (int s = 0; s < 2; s++) {
                ScoreEstimate.Part part = estimate.scenarios().get(s);
                if (part.extrapolated()) {
                    flagged++;
                    assertThat(part.estimator()).isEqualTo(EstimationModel.DESIGN);
                    fallback += Math.abs(part.estimate() - truth[s][l]);
                    double fitted = part.estimators().get(model.chosen().get(s));
                    chosen += Math.abs(Math.max(0, Math.min(1, fitted)) - truth[s][l]);
                }
            }
        }
        // measured: 2 of the 38 scenario estimates flagged; there the fallback misses by 0.035 (AIPW alone: 0.026),
        // the chosen estimators by 0.100
        assertThat(flagged).isPositive();
        assertThat(fallback).isLessThan(chosen);
    }

    /**
     * A searched subset with a random part ({@code auto}'s candidates), on a benchmark whose new models have a skill
     * no training model shows: half the items need it, every weak model fails them alike, so the calibration and
     * the anchors (chosen to describe the weak models) cannot see it. Beyond the training models AIPW on the random
     * part stays unbiased; AIPW over the anchors' weights, and so the estimate of a subset without a random part,
     * carries what the anchors get wrong.
     */
    @Test
    void aRandomPartKeepsAipwUnbiasedBeyondTheTrainingModelsOnASearchedSubset() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int weak = 60;
        int strong = 20;
        int items = 600;
        int[] scenario = new int[items];
        double[] balance = new double[items];
        Arrays.fill(balance, 1.0);
        double[] difficulty = random.doubles(items, -1.5, 1.5).toArray();
        ResponseMatrix.Builder builder = ResponseMatrix.binary(weak + strong, items);
        double[] truth = new double[weak + strong];
        for (int l = 0; l < weak + strong; l++) {
            boolean isStrong = l >= weak;
            double general = isStrong ? 1 + 0.5 * random.nextGaussian() : -1 + 0.5 * random.nextGaussian();
            double skill = isStrong ? 1 + 0.5 * random.nextGaussian() : -4;
            for (int j = 0; j < items; j++) {
                // the even items need only the general ability, the odd ones the skill as well
                double theta = j % 2 == 0 ? general : Math.min(general, skill);
                double p = 1 / (1 + Math.exp(-(theta - difficulty[j])));
                truth[l] += p / items;
                builder.set(l, j, random.nextDouble() < p ? 1 : 0);
            }
        }
        ResponseMatrix all = builder.build();
        ResponseMatrix training = all.selectModels(IntStream.range(0, weak).toArray());
        ItemBank calibration = JointMapCalibrator.compute(training, JointMapCalibrator.Options.defaults(1),
                CalibrationMonitor.NONE).items();
        SelectionInput input = new SelectionInput(training, scenario, new int[items], calibration);
        // AIPW on the random part, over 40 draws of the subset (the draw is what its error comes from), and on the
        // same subsets read as if they had no random part (the residual over every item, by the subset's weights)
        double[] drawBias = new double[40];
        double[] wholeBias = new double[drawBias.length];
        for (int seed = 0; seed < drawBias.length; seed++) {
            Subset hybrid = dev.itembank.psychometrics.selection.HybridSelection.select(input,
                    dev.itembank.psychometrics.selection.Selection.Method.ANCHOR_CORRECTNESS,
                    Budget.itemsPerScenario(100), seed, null, 0.3, CalibrationMonitor.NONE);
            java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>(hybrid.parameters());
            parameters.remove(dev.itembank.psychometrics.selection.HybridSelection.PARAMETER);
            Subset whole = new Subset(hybrid.method(), parameters, hybrid.seed(), hybrid.items(), hybrid.weights(),
                    hybrid.budget(), hybrid.diagnostics());
            Design design = new Design(calibration, scenario, balance, hybrid);
            Design wholeDesign = new Design(calibration, scenario, balance, whole);
            for (int l = weak; l < weak + strong; l++) {
                int model = l;
                double[] answers = Arrays.stream(hybrid.items()).mapToDouble(j -> all.get(model, j)).toArray();
                drawBias[seed] += (Reading.of(design, answers).aipw()[0] - truth[l]) / strong;
                wholeBias[seed] += (Reading.of(wholeDesign, answers).aipw()[0] - truth[l]) / strong;
            }
        }
        double wholeMean = Arrays.stream(wholeBias).average().orElseThrow();
        double bias = Arrays.stream(drawBias).average().orElseThrow();
        double spread = Math.sqrt(Arrays.stream(drawBias).map(b -> (b - bias) * (b - bias)).sum()
                / (drawBias.length - 1) / drawBias.length);
        // the estimates of subsets with and without a random part, as the service reads them
        double anchorsBias = 0;
        double hybridError = 0;
        double anchorsError = 0;
        int flagged = 0;
        int estimates = 0;
        for (long seed = 0; seed < 3; seed++) {
            Subset hybrid = dev.itembank.psychometrics.selection.HybridSelection.select(input,
                    dev.itembank.psychometrics.selection.Selection.Method.ANCHOR_IRT, Budget.itemsPerScenario(100),
                    seed, null, 0.3, CalibrationMonitor.NONE);
            Subset anchors = dev.itembank.psychometrics.selection.Selection.select(input,
                    dev.itembank.psychometrics.selection.Selection.Method.ANCHOR_IRT, Budget.itemsPerScenario(100),
                    seed, null);
            EstimationModel withPart = EstimationModel.fit(training, scenario, balance, calibration, hybrid, null,
                    EstimationModel.Options.forSubset(hybrid));
            EstimationModel without = EstimationModel.fit(training, scenario, balance, calibration, anchors, null,
                    EstimationModel.Options.forSubset(anchors));
            for (int l = weak; l < weak + strong; l++) {
                int model = l;
                double[] hybridAnswers = Arrays.stream(hybrid.items()).mapToDouble(j -> all.get(model, j)).toArray();
                double[] anchorsAnswers = Arrays.stream(anchors.items()).mapToDouble(j -> all.get(model, j))
                        .toArray();
                anchorsBias += Reading.of(new Design(calibration, scenario, balance, anchors), anchorsAnswers)
                        .aipw()[0] - truth[l];
                ScoreEstimate.Part part = withPart.estimate(hybridAnswers, 0.9).scenarios().get(0);
                hybridError += Math.abs(part.estimate() - truth[l]);
                anchorsError += Math.abs(without.estimate(anchorsAnswers, 0.9).scenarios().get(0).estimate()
                        - truth[l]);
                flagged += part.extrapolated() ? 1 : 0;
                estimates++;
            }
        }
        // measured: AIPW's bias 0.0066 (standard error 0.0106) on the random part over 40 draws, -0.0437 on the same
        // subsets over every item, -0.0201 over the anchors' weights; the estimates' MAE 0.0728 with the random part,
        // 0.0941 without; 59 of 60 flagged
        assertThat(Math.abs(bias)).as("AIPW's bias on the random part").isLessThan(Math.max(3 * spread, 0.005));
        // the same subsets read over all their items carry the searched part's bias: the random part is what
        // removes it
        assertThat(Math.abs(bias)).as("AIPW's bias on the random part vs over every item")
                .isLessThan(Math.abs(wholeMean) / 2);
        assertThat(Math.abs(anchorsBias / estimates)).as("AIPW's bias over an anchor subset's weights")
                .isGreaterThan(2 * Math.abs(bias));
        assertThat(hybridError).as("the estimates' error with the random part").isLessThan(anchorsError);
        assertThat(flagged).as("estimates read as beyond the training models").isGreaterThan(estimates * 3 / 4);
    }

    /**
     * The design-based reading (the fallback) takes AIPW where the calibration predicts the model's items and the
     * random sample's plain mean where it does not. A strong model's answers moved onto the items the weak models
     * found hardest (its score in each scenario kept, its pattern the reverse of what the calibration expects) leave
     * AIPW residuals that vary more than the answers: the reading takes the plain mean, and misses by less than
     * AIPW. Each reading is the one of smaller sampling error, computed here from its definition.
     */
    @Test
    void theDesignBasedReadingTakesThePlainMeanWhereTheCalibrationMispredictsTheModel() {
        WeakHalf split = WeakHalf.of();
        int[] scenarioOf = split.wmdp().scenarioOfItem();
        double[] balance = split.wmdp().balance();
        double[] easiness = split.training().columnMeans(IntStream.range(0, 32).toArray());
        int l = split.strongest()[0];
        double[] reversed = new double[scenarioOf.length];
        for (int s = 0; s < 2; s++) {
            int scenario = s;
            int[] items = IntStream.range(0, scenarioOf.length).filter(j -> scenarioOf[j] == scenario).boxed()
                    .sorted(Comparator.comparingDouble(j -> easiness[j])).mapToInt(Integer::intValue).toArray();
            long right = Math.round(Arrays.stream(items).mapToDouble(j -> split.wmdp().responses().get(l, j)).sum());
            for (int k = 0; k < right; k++) {
                reversed[items[k]] = 1;
            }
        }
        double[] truth = dev.itembank.psychometrics.matrix.ScenarioScores.of(reversed, balance, scenarioOf, 2);
        double designError = 0;
        double aipwError = 0;
        int plainTaken = 0;
        int readings = 0;
        for (long seed = 0; seed < 20; seed++) {
            Subset subset = split.randomSubset(seed);
            Design design = new Design(split.items(), scenarioOf, balance, subset);
            int[] items = subset.items();
            double[] answers = Arrays.stream(items).mapToDouble(j -> reversed[j]).toArray();
            Reading reading = Reading.of(design, answers);
            for (int s = 0; s < 2; s++) {
                double[] y = new double[items.length];
                double[] e = new double[items.length];
                double[] w = new double[items.length];
                for (int k = 0; k < items.length; k++) {
                    w[k] = scenarioOf[items[k]] == s ? subset.weights()[k] : 0;
                    y[k] = answers[k];
                    e[k] = answers[k] - split.items().probability(items[k], reading.theta());
                }
                double[] post = postStratified(y, w, items, split.items(), balance, scenarioOf, s);
                double plainSe = post[1] > 0 ? post[1] : plusTwo(weightedStandardError(y, w), y, w);
                double aipwSe = weightedStandardError(e, w);
                boolean plain = plainSe < aipwSe;
                assertThat(reading.designError(s)).isCloseTo(Math.min(plainSe, aipwSe), within(1e-12));
                assertThat(reading.design()[s]).isCloseTo(plain ? post[0] : reading.aipw()[s], within(1e-12));
                plainTaken += plain ? 1 : 0;
                designError += Math.abs(reading.design()[s] - truth[s]);
                aipwError += Math.abs(reading.aipw()[s] - truth[s]);
                readings++;
            }
        }
        // measured: the (post-stratified) plain mean taken in 40 readings of 40; MAE 0.027 against AIPW's 0.065 (with
        // the plain mean not post-stratified: taken in 39, MAE 0.051)
        assertThat(plainTaken).as("readings that took the plain mean").isGreaterThan(readings * 3 / 4);
        assertThat(designError / readings).as("MAE of the design-based reading")
                .isLessThan(0.9 * aipwError / readings);

        // every answer right: the answers' own spread is 0, the plus-two spread is not
        Subset subset = split.randomSubset(0);
        double[] allRight = new double[subset.items().length];
        Arrays.fill(allRight, 1.0);
        Reading perfect = Reading.of(new Design(split.items(), scenarioOf, balance, subset), allRight);
        for (int s = 0; s < 2; s++) {
            int scenario = s;
            double[] w = IntStream.range(0, allRight.length).mapToDouble(k -> scenarioOf[subset.items()[k]] == scenario
                    ? subset.weights()[k] : 0).toArray();
            assertThat(weightedStandardError(allRight, w)).isZero();
            assertThat(perfect.designError(s)).isPositive()
                    .isLessThanOrEqualTo(plusTwo(0, allRight, w) + 1e-12);
        }
    }

    /**
     * The probability that a model lies beyond the training models is read from AIPW and its sampling error, not from
     * the design-based reading (whose per-model choice of the smaller error flagged more models inside the range by
     * its noise: interpolation on alpacaeval2 0.80x against 0.86x the plain mean). A model at the top of the weak half,
     * its answers reversed against what the calibration expects, sits at the edge, where AIPW and the plain mean (the
     * design-based reading's choice there) disagree: the probability is Phi(d / se) of AIPW's, computed here.
     */
    @Test
    void theTestOfLyingBeyondReadsAipwNotTheDesignBasedReading() {
        WeakHalf split = WeakHalf.of();
        int[] scenarioOf = split.wmdp().scenarioOfItem();
        double[] balance = split.wmdp().balance();
        double[][] truth = split.truth();
        int[] weak = split.weak();
        int top = weak[weak.length - 1];
        double[] easiness = split.training().columnMeans(IntStream.range(0, weak.length).toArray());
        double[] reversed = new double[scenarioOf.length];
        for (int s = 0; s < 2; s++) {
            int scenario = s;
            int[] items = IntStream.range(0, scenarioOf.length).filter(j -> scenarioOf[j] == scenario).boxed()
                    .sorted(Comparator.comparingDouble(j -> easiness[j])).mapToInt(Integer::intValue).toArray();
            long right = Math.round(Arrays.stream(items).mapToDouble(j -> split.wmdp().responses().get(top, j))
                    .sum());
            for (int k = 0; k < right; k++) {
                reversed[items[k]] = 1;
            }
        }
        org.hipparchus.distribution.continuous.NormalDistribution normal =
                new org.hipparchus.distribution.continuous.NormalDistribution(0, 1);
        int compared = 0;
        int disagreeing = 0;
        for (long seed = 0; seed < 10; seed++) {
            Subset subset = split.randomSubset(seed);
            EstimationModel model = split.fit(subset);
            double[] answers = Arrays.stream(subset.items()).mapToDouble(j -> reversed[j]).toArray();
            EstimationModel.WithFallbacks read = model.estimateWithFallbacks(answers, 0.9);
            Reading reading = Reading.of(new Design(split.items(), scenarioOf, balance, subset), answers);
            double byAipw = 0;
            double byDesign = 0;
            boolean chosenOutside = false;
            for (int s = 0; s < 2; s++) {
                int scenario = s;
                double low = Arrays.stream(weak).mapToDouble(l -> truth[scenario][l]).min().orElseThrow();
                double high = Arrays.stream(weak).mapToDouble(l -> truth[scenario][l]).max().orElseThrow();
                double chosen = read.estimate().scenarios().get(s).estimators().get(model.chosen().get(s));
                chosenOutside |= chosen > high || chosen < low;
                byAipw = Math.max(byAipw, probability(normal, reading.aipw()[s], reading.aipwError()[s], low, high));
                byDesign = Math.max(byDesign, probability(normal, reading.design()[s], reading.designError(s), low,
                        high));
            }
            if (chosenOutside) {
                assertThat(read.beyond()).isEqualTo(1.0);
                continue;
            }
            compared++;
            disagreeing += Math.abs(byAipw - byDesign) > 0.05 ? 1 : 0;
            assertThat(read.beyond()).as("seed %d", seed).isCloseTo(byAipw, within(1e-9));
        }
        // measured: 7 readings compared (in 3 the chosen estimate itself lay outside), the two readings'
        // probabilities 0.05 or more apart in 4; with the design-based reading as the evidence this test fails
        assertThat(compared).isGreaterThanOrEqualTo(5);
        assertThat(disagreeing).as("readings where the design-based reading would have said otherwise")
                .isGreaterThanOrEqualTo(3);
    }

    /** Phi(d / se), d how far the reading lies outside [low, high]; below 0.01 read as none. */
    private static double probability(org.hipparchus.distribution.continuous.NormalDistribution normal, double value,
            double error, double low, double high) {
        double p = normal.cumulativeProbability(Math.max(value - high, low - value) / error);
        return p < 0.01 ? 0 : p;
    }

    /**
     * A model beyond the training models read by the plain weighted mean (the fallback a backtest may choose for a
     * random sample) has an interval at least that mean's own 90% sampling interval, not the design-based reading's,
     * which is AIPW's where AIPW's error is the smaller.
     */
    @Test
    void thePlainMeanAsTheFallbackKeepsItsOwnSamplingErrorAsTheIntervalsFloor() {
        WeakHalf split = WeakHalf.of();
        FlaggedParts flagged = FlaggedParts.readByTheWeightedMean(split, split.strongReadings(
                model -> model.withFallback(new String[] {"weighted", "weighted"}, new double[][] {{0}, {0}})));
        // measured: 114 parts flagged, the floor the interval's half-width in 76, the design-based reading's error
        // under 0.9x the plain mean's in 111 (floored by it, this test fails); coverage 111 of 114
        assertThat(flagged.parts()).isGreaterThanOrEqualTo(100);
        assertThat(flagged.narrowerByDesign()).as("parts where the design-based reading's error is the smaller")
                .isGreaterThanOrEqualTo(flagged.parts() / 2);
        assertThat(flagged.floored()).as("parts whose half-width is the plain mean's sampling half-width")
                .isGreaterThanOrEqualTo(flagged.parts() / 4);
        assertThat(flagged.coverage()).as("coverage of the 90% intervals").isBetween(0.85, 1.0);
    }

    /**
     * On a stratified sample a model beyond the training models is read by the sample's plain weighted mean, with
     * the strata's own sampling error as its interval's floor: the strata take out of that mean what item difficulty
     * explains, which is what AIPW's prediction would take out, and AIPW, with items calibrated on weaker models,
     * adds the calibration's errors back (the design-based reading's choice between the two took AIPW and missed).
     */
    @Test
    void onAStratifiedSampleModelsBeyondAreReadByItsPlainWeightedMean() {
        WeakHalf split = WeakHalf.of();
        double[][] truth = split.truth();
        FlaggedParts flagged = FlaggedParts.readByTheWeightedMean(split,
                split.strongReadings(split::stratifiedSubset, model -> model));
        double stratifiedMae = 0;
        double randomMae = 0;
        for (long seed = 0; seed < 200; seed++) {
            Subset stratified = split.stratifiedSubset(seed);
            Subset random = split.randomSubset(seed);
            for (int l : split.strongest()) {
                for (int s = 0; s < 2; s++) {
                    stratifiedMae += Math.abs(weightedMean(stratified, split, l, s) - truth[s][l]);
                    randomMae += Math.abs(weightedMean(random, split, l, s) - truth[s][l]);
                }
            }
        }
        // measured: 90 parts flagged, coverage 0.93; over 200 draws the stratified samples' weighted mean misses the
        // strong models by 0.041, simple random samples' by 0.054 (here AIPW and the weighted mean read the strata
        // alike, 0.0396 against 0.0398; on glue-mrpc's extrapolation split at 50 items AIPW missed by 0.075 against 0.025)
        assertThat(flagged.parts()).isGreaterThanOrEqualTo(80);
        assertThat(flagged.coverage()).as("coverage of the 90% intervals").isBetween(0.85, 1.0);
        assertThat(stratifiedMae).as("stratified against simple random samples, the strong models' MAE")
                .isLessThan(0.85 * randomMae);
    }

    /**
     * The strong models' scenario estimates flagged as beyond the training models, each checked to be read by the
     * plain weighted mean with at least that mean's 90% sampling interval: how many, how many of their half-widths are
     * that floor, where the design-based reading's error is under 0.9x the plain mean's, and how many intervals cover.
     */
    private record FlaggedParts(int parts, int floored, int narrowerByDesign, int covered) {

        static FlaggedParts readByTheWeightedMean(WeakHalf split, List<StrongReading> readings) {
            int parts = 0;
            int floored = 0;
            int narrowerByDesign = 0;
            int covered = 0;
            for (StrongReading read : readings) {
                Reading reading = Reading.of(new Design(split.items(), split.wmdp().scenarioOfItem(),
                        split.wmdp().balance(), read.subset()), read.answers());
                for (int s = 0; s < 2; s++) {
                    ScoreEstimate.Part part = read.estimate().scenarios().get(s);
                    if (!part.extrapolated()) {
                        continue;
                    }
                    parts++;
                    assertThat(part.estimator()).isEqualTo(EstimationModel.WEIGHTED);
                    double floor = 1.6448536269514722 * reading.htError()[s];
                    assertThat(part.upper()).isGreaterThanOrEqualTo(Math.min(1, part.estimate() + floor) - 1e-12);
                    assertThat(part.lower()).isLessThanOrEqualTo(Math.max(0, part.estimate() - floor) + 1e-12);
                    double width = Math.max(part.upper() - part.estimate(), part.estimate() - part.lower());
                    floored += Math.abs(width - floor) < 1e-9 ? 1 : 0;
                    narrowerByDesign += reading.designError(s) < 0.9 * reading.htError()[s] ? 1 : 0;
                    double t = split.truth()[s][read.model()];
                    covered += part.lower() <= t && t <= part.upper() ? 1 : 0;
                }
            }
            return new FlaggedParts(parts, floored, narrowerByDesign, covered);
        }

        double coverage() {
            return (double) covered / parts;
        }
    }

    private static double weightedMean(Subset subset, WeakHalf split, int model, int scenario) {
        double sum = 0;
        double weight = 0;
        for (int k = 0; k < subset.items().length; k++) {
            int j = subset.items()[k];
            if (split.wmdp().scenarioOfItem()[j] == scenario) {
                sum += subset.weights()[k] * split.wmdp().responses().get(model, j);
                weight += subset.weights()[k];
            }
        }
        return sum / weight;
    }

    /**
     * The post-stratified mean of scenario s's sampled items and its standard error, from the definition: the
     * scenario's items ordered by P_j(0) and cut into H = min(5, n / 5) strata of equal balance weight, each stratum's
     * weighted mean weighed by its share, the variance the sum of share^2 times each stratum's weighted variance of
     * the mean.
     */
    private static double[] postStratified(double[] y, double[] w, int[] sampled, ItemBank items, double[] balance,
            int[] scenarioOf, int s) {
        int n = (int) Arrays.stream(w).filter(v -> v > 0).count();
        int strata = Math.min(5, n / 5);
        int[] inScenario = IntStream.range(0, scenarioOf.length).filter(j -> scenarioOf[j] == s).boxed()
                .sorted(Comparator.comparingDouble(j -> items.probability(j, new double[items.dimensions()])))
                .mapToInt(Integer::intValue).toArray();
        double total = Arrays.stream(inScenario).mapToDouble(j -> balance[j]).sum();
        int[] stratum = new int[scenarioOf.length];
        double[] share = new double[strata];
        double running = 0;
        for (int j : inScenario) {
            stratum[j] = Math.min(strata - 1, (int) (strata * running / total));
            share[stratum[j]] += balance[j] / total;
            running += balance[j];
        }
        double mean = 0;
        double variance = 0;
        for (int h = 0; h < strata; h++) {
            int stratumH = h;
            double[] wh = IntStream.range(0, w.length).mapToDouble(k -> stratum[sampled[k]] == stratumH ? w[k] : 0)
                    .toArray();
            Sums sums = Sums.of(y, wh);
            mean += share[h] * sums.weighted() / sums.weight();
            double se = weightedStandardError(y, wh);
            variance += share[h] * share[h] * se * se;
        }
        return new double[] {mean, Math.sqrt(variance)};
    }

    /** Over the items of positive weight: n, sum w, sum w x, sum w^2. */
    private record Sums(int n, double weight, double weighted, double squares) {

        static Sums of(double[] x, double[] w) {
            int n = 0;
            double weight = 0;
            double weighted = 0;
            double squares = 0;
            for (int k = 0; k < x.length; k++) {
                if (w[k] > 0) {
                    n++;
                    weight += w[k];
                    weighted += w[k] * x[k];
                    squares += w[k] * w[k];
                }
            }
            return new Sums(n, weight, weighted, squares);
        }
    }

    /**
     * The plus-two floor of a 0/1 sample's standard error: sqrt(n / (n - 1) p~ (1 - p~) sum w^2) / sum w, p~ = (sum w y
     * + wbar) / (sum w + 2 wbar), wbar the mean weight.
     */
    private static double plusTwo(double standardError, double[] y, double[] w) {
        Sums sums = Sums.of(y, w);
        double mean = sums.weight() / sums.n();
        double p = (sums.weighted() + mean) / (sums.weight() + 2 * mean);
        return Math.max(standardError, Math.sqrt(p * (1 - p) * sums.squares() * sums.n() / (sums.n() - 1.0))
                / sums.weight());
    }

    /** sqrt(n / (n - 1) sum_k w_k^2 (x_k - xbar_w)^2) / sum_k w_k over the items of positive weight. */
    private static double weightedStandardError(double[] x, double[] w) {
        Sums sums = Sums.of(x, w);
        double mean = sums.weighted() / sums.weight();
        double spread = 0;
        for (int k = 0; k < x.length; k++) {
            if (w[k] > 0) {
                spread += w[k] * w[k] * (x[k] - mean) * (x[k] - mean);
            }
        }
        return Math.sqrt(spread * sums.n() / (sums.n() - 1.0)) / sums.weight();
    }

    /**
     * WMDP's extrapolation split: the weakest 32 of the 64 models by the sum of their two scenario scores, calibrated
     * (2 dimensions; {@code weak}, weakest first), and the strongest 19 to estimate.
     */
    /** One strong model's answers to a subset and their estimate by a model fitted on the weak half. */
    private record StrongReading(Subset subset, EstimationModel fitted, int model, double[] answers,
            ScoreEstimate estimate) {
    }

    private record WeakHalf(Fixtures.Wmdp wmdp, double[][] truth, ResponseMatrix training, ItemBank items,
            int[] weak, int[] strongest) {

        static WeakHalf of() {
            Fixtures.Wmdp wmdp = Fixtures.wmdp();
            double[][] truth = wmdp.truth();
            int[] order = IntStream.range(0, 64).boxed()
                    .sorted(Comparator.comparingDouble(l -> truth[0][l] + truth[1][l])).mapToInt(Integer::intValue)
                    .toArray();
            int[] weak = Arrays.copyOf(order, 32);
            ResponseMatrix training = wmdp.responses().selectModels(weak);
            ItemBank items = JointMapCalibrator.compute(training, JointMapCalibrator.Options.defaults(2),
                    CalibrationMonitor.NONE).items();
            return new WeakHalf(wmdp, truth, training, items, weak, Arrays.copyOfRange(order, 64 - 19, 64));
        }

        /**
         * For random subsets of seeds 0, 1 and 2, each of the strongest models read by the subset's estimators fitted
         * on the weak half (then passed through {@code adjust}).
         */
        List<StrongReading> strongReadings(java.util.function.UnaryOperator<EstimationModel> adjust) {
            return strongReadings(this::randomSubset, adjust);
        }

        /** The same on the subsets {@code draw} makes for seeds 0, 1 and 2. */
        List<StrongReading> strongReadings(java.util.function.LongFunction<Subset> draw,
                java.util.function.UnaryOperator<EstimationModel> adjust) {
            List<StrongReading> readings = new java.util.ArrayList<>();
            for (long seed = 0; seed < 3; seed++) {
                Subset subset = draw.apply(seed);
                EstimationModel model = adjust.apply(fit(subset));
                for (int l : strongest) {
                    double[] answers = answers(subset, l);
                    readings.add(new StrongReading(subset, model, l, answers, model.estimate(answers, 0.9)));
                }
            }
            return readings;
        }

        /** A random subset of 50 items per scenario. */
        Subset randomSubset(long seed) {
            return RandomSelection.select(input(), Budget.itemsPerScenario(50), seed, null);
        }

        /** A stratified subset of 50 items per scenario. */
        Subset stratifiedSubset(long seed) {
            return dev.itembank.psychometrics.selection.StratifiedSelection.select(input(),
                    Budget.itemsPerScenario(50), seed, null);
        }

        SelectionInput input() {
            return new SelectionInput(training, wmdp.scenarioOfItem(), new int[wmdp.scenarioOfItem().length], items);
        }

        /** The estimators of a subset, fitted on the weak half with its calibration. */
        EstimationModel fit(Subset subset) {
            return EstimationModel.fit(training, wmdp.scenarioOfItem(), wmdp.balance(), items, subset, null,
                    EstimationModel.Options.forSubset(subset));
        }

        /** Model l's answers to the subset's items. */
        double[] answers(Subset subset, int l) {
            return Arrays.stream(subset.items()).mapToDouble(j -> wmdp.responses().get(l, j)).toArray();
        }
    }
}
