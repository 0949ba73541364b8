package dev.itembank.psychometrics.selection;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.hipparchus.stat.correlation.PearsonsCorrelation;
import org.hipparchus.stat.regression.OLSMultipleLinearRegression;
import org.junit.jupiter.api.Test;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

import static org.assertj.core.api.Assertions.assertThat;

class StepwiseSelectionTest {

    /** The first step takes the item whose answers correlate most with the score (its drop in RSS is |r|^2 corr^2). */
    @Test
    void theFirstItemIsTheOneMostCorrelatedWithTheScenarioScore() {
        WmdpFixture wmdp = WmdpFixture.load();
        ResponseMatrix training = wmdp.all().selectModels(wmdp.train());
        int[] scenario = wmdp.scenarioOfItem();
        Subset subset = StepwiseSelection.select(new SelectionInput(training, scenario, new int[scenario.length],
                null), Budget.itemsPerScenario(1), 0L, null);
        assertThat(subset.items()).hasSize(2);
        PearsonsCorrelation pearson = new PearsonsCorrelation();
        for (int s = 0; s < 2; s++) {
            int current = s;
            int[] items = IntStream.range(0, scenario.length).filter(j -> scenario[j] == current).toArray();
            double[] score = new double[training.models()];
            for (int l = 0; l < score.length; l++) {
                for (int j : items) {
                    score[l] += training.get(l, j) / items.length;
                }
            }
            int best = -1;
            double bestSquared = -1;
            for (int j : items) {
                double[] column = column(training, j);
                if (Arrays.stream(column).distinct().count() < 2) {
                    continue;
                }
                double r = pearson.correlation(column, score);
                if (r * r > bestSquared) {
                    bestSquared = r * r;
                    best = j;
                }
            }
            int picked = Arrays.stream(subset.items()).filter(j -> scenario[j] == current).findFirst().orElseThrow();
            assertThat(picked).as("scenario %d", s).isEqualTo(best);
        }
    }

    /**
     * On a simulated leaderboard of 400 models (two abilities; each item needs one of them; a third of the items
     * barely discriminate), 15 items chosen
     * stepwise explain more of the score in sample than any of 10 random subsets of 15, and least squares on them
     * predicts 100 held-out models better than on random items.
     */
    @Test
    void explainsMoreOfTheScoreThanRandomItemsAndPredictsHeldOutModelsBetter() {
        SplittableRandom random = new SplittableRandom(11);
        int models = 400;
        int items = 200;
        double[] difficulty = random.doubles(items, -2, 2).toArray();
        // a third of the items barely discriminate (mislabelled or ambiguous ones, which real benchmarks have)
        double[] slope = IntStream.range(0, items).mapToDouble(j -> j % 3 == 0 ? 0.1 : 0.8 + 1.7 * random.nextDouble())
                .toArray();
        ResponseMatrix.Builder builder = ResponseMatrix.binary(models, items);
        for (int l = 0; l < models; l++) {
            double first = gaussian(random);
            double second = 0.5 * first + 0.87 * gaussian(random);
            for (int j = 0; j < items; j++) {
                double theta = j % 2 == 0 ? first : second;
                double p = 1 / (1 + Math.exp(-slope[j] * (theta - difficulty[j])));
                builder.set(l, j, random.nextDouble() < p ? 1 : 0);
            }
        }
        ResponseMatrix all = builder.build();
        int[] train = IntStream.range(0, 300).toArray();
        int[] test = IntStream.range(300, models).toArray();
        ResponseMatrix training = all.selectModels(train);
        SelectionInput input = new SelectionInput(training, new int[items], new int[items], null);
        Subset stepwise = StepwiseSelection.select(input, Budget.itemsPerScenario(15), 0L, null);
        assertThat(stepwise.items()).hasSize(15).doesNotHaveDuplicates();
        double[] stepwiseFit = fit(all, train, test, stepwise.items());
        double bestRandomR2 = 0;
        double randomMae = 0;
        for (long seed = 0; seed < 10; seed++) {
            double[] fit = fit(all, train, test, RandomSelection.select(input, Budget.itemsPerScenario(15), seed, null)
                    .items());
            bestRandomR2 = Math.max(bestRandomR2, fit[0]);
            randomMae += fit[1] / 10;
        }
        // measured: in-sample R^2 0.905 against at most 0.759; held-out MAE 0.0433 against 0.0595 on average
        assertThat(stepwiseFit[0]).isGreaterThan(bestRandomR2);
        assertThat(stepwiseFit[1]).isLessThan(0.85 * randomMae);
        assertThat(stepwise.diagnostics().notes()).singleElement().asString().contains("stepwise regression");
    }

    /** With fewer models than the budget, the items that add nothing are drawn at random: the budget is held. */
    @Test
    void withFewerModelsThanItemsTheRestOfTheBudgetIsDrawnAtRandomAndExcludedItemsStayOut() {
        SplittableRandom random = new SplittableRandom(3);
        ResponseMatrix.Builder builder = ResponseMatrix.binary(8, 60);
        for (int l = 0; l < 8; l++) {
            for (int j = 0; j < 60; j++) {
                builder.set(l, j, random.nextInt(2));
            }
        }
        boolean[] excluded = new boolean[60];
        for (int j = 0; j < 60; j += 3) {
            excluded[j] = true;
        }
        Subset subset = StepwiseSelection.select(new SelectionInput(builder.build(), new int[60], new int[60], null),
                Budget.itemsPerScenario(20), 5L, excluded);
        assertThat(subset.items()).hasSize(20).doesNotHaveDuplicates();
        assertThat(IntStream.of(subset.items()).noneMatch(j -> excluded[j])).isTrue();
        // 8 models: at most 7 items can add anything to a fit with an intercept
        assertThat(subset.diagnostics().notes()).hasSize(2);
        assertThat(subset.diagnostics().notes().get(0)).contains("drawn at random");
        assertThat(subset.diagnostics().notes().get(1)).contains("only 8 training models");
        assertThat(Arrays.stream(subset.weights()).sum()).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-9));
    }

    /** {in-sample R^2, held-out MAE} of least squares of the score on the items' answers. */
    private static double[] fit(ResponseMatrix all, int[] train, int[] test, int[] items) {
        OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
        double[][] x = new double[train.length][];
        double[] y = new double[train.length];
        for (int k = 0; k < train.length; k++) {
            x[k] = answers(all, train[k], items);
            y[k] = score(all, train[k]);
        }
        ols.newSampleData(y, x);
        double[] beta = ols.estimateRegressionParameters();
        double mae = 0;
        for (int l : test) {
            double[] a = answers(all, l, items);
            double predicted = beta[0];
            for (int k = 0; k < a.length; k++) {
                predicted += beta[k + 1] * a[k];
            }
            mae += Math.abs(predicted - score(all, l)) / test.length;
        }
        return new double[] {ols.calculateRSquared(), mae};
    }

    private static double[] answers(ResponseMatrix all, int model, int[] items) {
        return Arrays.stream(items).mapToDouble(j -> all.get(model, j)).toArray();
    }

    private static double score(ResponseMatrix all, int model) {
        return IntStream.range(0, all.items()).mapToDouble(j -> all.get(model, j)).average().orElseThrow();
    }

    private static double[] column(ResponseMatrix matrix, int item) {
        return IntStream.range(0, matrix.models()).mapToDouble(l -> matrix.get(l, item)).toArray();
    }

    private static double gaussian(SplittableRandom random) {
        return dev.itembank.psychometrics.irt.Simulation.gaussian(random);
    }
}
