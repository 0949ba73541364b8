package dev.itembank.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import dev.itembank.psychometrics.evaluation.AdaptiveBacktest;
import dev.itembank.psychometrics.evaluation.Backtest;
import dev.itembank.psychometrics.evaluation.Metrics;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.selection.Budget;
import dev.itembank.psychometrics.selection.Selection;

/**
 * {@code java -jar itembank.jar evaluate --data ../shared/data/wmdp ...}: backtests of chosen selection methods and
 * budgets on a data folder, a markdown table on standard output (and in {@code report.md}), and PNG plots of
 * estimated against true scores and of error against budget. Runs without the service or a database.
 */
public final class EvaluationCommand {

    static final String USAGE = """
            usage: evaluate --data <folder> [--methods anchor-irt,random] [--budgets 10,30,100]
                            [--split rows:0-15 | kfold:5 | newest:10 | interpolation | extrapolation]
                            [--calibration mirt|1pl|2pl|3pl|4pl] [--dimensions 5] [--seeds 3] [--level 0.9]
                            [--nested] [--adaptive 25,50] [--batch 10] [--out target/evaluation]
                   evaluate --summary <folder of data folders> [--splits interpolation,extrapolation]
                            [--method auto] [--seeds 3] [--repeats 1] [--budget 50] [--max-models 1000]
                            [--out target/evaluation-summary]
              interpolation = kfold:5; extrapolation = train on the weakest 50% of the models by full score,
              estimate the strongest 30% (Zhang, Dorner and Hardt, 2025). --summary backtests every folder with a
              matrix.csv at 100 items per scenario or 20% of the smallest scenario, whichever is smaller, and
              writes one table against the references read off random subsets (plain mean, ridge, AIPW).
              --budget sets the items per scenario instead (Zhang, Dorner and Hardt's protocol: 50).
              --repeats runs each backtest that many times with different seeds (the method's draws and the
              references') and reports their means, with the range of the per-run ratios to the plain mean.
              --adaptive simulates adaptive sessions for the held-out models (at most the given items per scenario,
              --batch items at a time) and reports their error against items used next to the fixed subsets.
            """;

    private EvaluationCommand() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        EvaluationOptions options = new EvaluationOptions();
        picocli.CommandLine.ParseResult parsed;
        try {
            parsed = EvaluationOptions.parse(options, args);
            if (parsed.isUsageHelpRequested()) {
                out.print(USAGE);
                return 0;
            }
            if (parsed.isVersionHelpRequested()) {
                parsed.commandSpec().commandLine().printVersionHelp(out);
                return 0;
            }
        } catch (picocli.CommandLine.ParameterException e) {
            return usageError(out, e.getMessage());
        }
        List<String> problems = new ArrayList<>(options.problems());
        problems.addAll(EvaluationOptions.misplaced(parsed));
        if (!problems.isEmpty()) {
            return usageError(out, String.join("; ", problems));
        }
        if (options.summary != null) {
            return EvaluationSummary.run(options.summary, options, out);
        }
        if (options.data == null) {
            out.print(USAGE);
            return 2;
        }
        if (!Files.isRegularFile(options.data.resolve("matrix.csv"))) {
            return usageError(out, "--data " + options.data + " has no matrix.csv");
        }
        List<Selection.Method> methods;
        DataFolder data;
        double[] balance;
        Backtest.Split split;
        try {
            methods = options.methods.stream().map(Selection.Method::parse).toList();
            data = DataFolder.read(options.data);
            balance = balance(data);
            split = split(options.split, data, balance);
        } catch (IllegalArgumentException e) {
            return usageError(out, e.getMessage());
        }
        int[] budgets = options.budgets;
        Path target = options.out("target/evaluation");
        Files.createDirectories(target);
        StringBuilder report = new StringBuilder("## Backtest of ").append(data.name()).append(" (")
                .append(data.matrix().models()).append(" models x ").append(data.matrix().items())
                .append(" items, split ").append(options.split).append(")\n\n")
                .append("| method | items per scenario | scenario | MAE | RMSE | max error | Kendall | Spearman | "
                        + "rank within 5% | coverage | random MAE | random Spearman | random mean MAE | "
                        + "random + ridge MAE | random + AIPW MAE | MAE / random mean | MAE / best reference |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, XYSeries> errorByBudget = new LinkedHashMap<>();
        Map<String, XYSeries> scatter = new LinkedHashMap<>();
        XYSeries randomErrors = new XYSeries("random (baseline)");
        Map<String, Double> bestFixed = new LinkedHashMap<>();
        for (Selection.Method method : methods) {
            XYSeries errors = new XYSeries(method.code());
            for (int budget : budgets) {
                Backtest.Report result = backtest(data, balance, method, budget, split, options);
                if (budget == budgets[budgets.length - 1]) {
                    double mae = result.method().get("overall").mae();
                    if (bestFixed.isEmpty() || mae < bestFixed.values().iterator().next()) {
                        bestFixed.clear();
                        bestFixed.put(method.code() + " at " + budget + " per scenario", mae);
                    }
                }
                result.method().forEach((scenario, metrics) -> report.append(row(method.code(), budget, scenario,
                        metrics, result, scenario)));
                errors.add(budget, result.method().get("overall").mae());
                if (method == methods.get(0)) {
                    randomErrors.add(budget, result.random().get("overall").mae());
                }
                if (budget == budgets[budgets.length - 1]) {
                    XYSeries points = new XYSeries(method.code() + ", " + budget + " per scenario");
                    double[] estimates = result.estimates()[result.estimates().length - 1];
                    double[] truths = result.truths()[result.truths().length - 1];
                    for (int k = 0; k < estimates.length; k++) {
                        points.add(truths[k], estimates[k]);
                    }
                    scatter.put(method.code(), points);
                }
            }
            errorByBudget.put(method.code(), errors);
        }
        errorByBudget.put("random-baseline", randomErrors);
        if (options.adaptive != null) {
            adaptive(data, balance, split, options, bestFixed, report, errorByBudget);
        }
        report.append('\n').append("Plots: ").append(target.resolve("estimates.png")).append(", ")
                .append(target.resolve("error-vs-budget.png")).append('\n');
        out.print(report);
        Files.writeString(target.resolve("report.md"), report.toString());
        plots(target, scatter, errorByBudget);
        return 0;
    }

    /**
     * Adaptive sessions for the held-out models at each item limit: a table of their error, items used and
     * coverage next to the best fixed subset of the largest budget, and a curve of error against items used.
     */
    private static void adaptive(DataFolder data, double[] balance, Backtest.Split split, EvaluationOptions options,
            Map<String, Double> bestFixed, StringBuilder report, Map<String, XYSeries> errorByBudget) {
        Backtest.Setup setup = new Backtest.Setup(options.calibration, options.dimensions, Selection.Method.RANDOM,
                Budget.itemsPerScenario(1), options.level, 0, 0L, false);
        int batch = options.batch;
        String best = bestFixed.isEmpty() ? "none" : bestFixed.keySet().iterator().next();
        double bestMae = bestFixed.isEmpty() ? Double.NaN : bestFixed.values().iterator().next();
        report.append("\n### Adaptive sessions (batches of ").append(batch).append(")\n\n")
                .append("| at most per scenario | items used per scenario | scenario | MAE | RMSE | Spearman | coverage "
                        + "| stopped by | items drawn at random | MAE / best fixed (").append(best).append(") |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        XYSeries curve = new XYSeries("adaptive (items used)");
        for (int max : options.adaptive) {
            AdaptiveBacktest result = AdaptiveBacktest.run(data.matrix(), data.scenarioOfItem(),
                    data.subscenarioOfItem(), balance, data.scenarioNames(), split, setup, max, batch);
            result.metrics().forEach((scenario, m) -> report.append(String.format(java.util.Locale.ROOT,
                    "| %d | %.1f | %s | %.4f | %.4f | %.3f | %.2f | %s | %.0f%% of fold-scenarios | %s |%n", max,
                    result.itemsPerScenario(), scenario, m.mae(), m.rmse(), m.spearman(), m.coverage(),
                    result.reasons(), 100 * result.randomShare(),
                    scenario.equals("overall") ? String.format(java.util.Locale.ROOT, "%.2f", m.mae() / bestMae)
                    : "")));
            curve.add(result.itemsPerScenario(), result.metrics().get("overall").mae());
        }
        errorByBudget.put("adaptive", curve);
    }

    static Backtest.Report backtest(DataFolder data, double[] balance, Selection.Method method, int budget,
            Backtest.Split split, EvaluationOptions options) {
        return backtest(data, balance, method, budget, split, options, 0L);
    }

    /** The same with the method's (and the random references') draws from {@code seed}. */
    static Backtest.Report backtest(DataFolder data, double[] balance, Selection.Method method, int budget,
            Backtest.Split split, EvaluationOptions options, long seed) {
        Backtest.Setup setup = new Backtest.Setup(options.calibration, options.dimensions, method,
                Budget.itemsPerScenario(budget), options.level, options.seeds, seed, options.nested);
        return Backtest.run(data.matrix(), data.scenarioOfItem(), balance, data.scenarioNames(), split, setup,
                CalibrationMonitor.NONE);
    }

    static double[] balance(DataFolder data) {
        return new dev.itembank.psychometrics.selection.SelectionInput(data.matrix(), data.scenarioOfItem(),
                data.subscenarioOfItem(), null).balanceWeights();
    }

    /** The MAE of a reference reading of the random subsets (ridge, AIPW), NaN where it was not available. */
    static double referenceMae(Backtest.Report result, String code, String scenario) {
        Map<String, Metrics> metrics = result.randomReadings().get(code);
        return metrics == null ? Double.NaN : metrics.get(scenario).mae();
    }

    /** The lowest MAE of the references: the plain mean of random subsets, and ridge and AIPW read off them. */
    static double bestReference(Backtest.Report result, String scenario) {
        double best = result.randomMean().get(scenario).mae();
        for (String code : Backtest.Report.REFERENCES) {
            double mae = referenceMae(result, code, scenario);
            best = Double.isNaN(mae) ? best : Math.min(best, mae);
        }
        return best;
    }

    private static String row(String method, int budget, String scenario, Metrics m, Backtest.Report result,
            String key) {
        Metrics random = result.random().get(key);
        Metrics randomMean = result.randomMean().get(key);
        return String.format("| %s | %d | %s | %.4f | %.4f | %.4f | %.3f | %.3f | %.2f | %.2f | %.4f | %.3f | %.4f | "
                + "%.4f | %.4f | %.2f | %.2f |%n", method, budget, scenario, m.mae(), m.rmse(), m.maxError(),
                m.kendall(), m.spearman(), m.rankWithin5(), m.coverage(), random.mae(), random.spearman(),
                randomMean.mae(), referenceMae(result, "ridge", key), referenceMae(result, "aipw", key),
                m.mae() / randomMean.mae(), m.mae() / bestReference(result, key));
    }

    private static void plots(Path target, Map<String, XYSeries> scatter, Map<String, XYSeries> errors)
            throws IOException {
        XYSeriesCollection points = new XYSeriesCollection();
        scatter.values().forEach(points::addSeries);
        XYSeries diagonal = new XYSeries("estimate = truth");
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        points.addSeries(diagonal);
        JFreeChart estimates = ChartFactory.createScatterPlot("Estimated against true overall score", "true score",
                "estimated score", points, PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(target.resolve("estimates.png").toFile(), estimates, 800, 600);
        XYSeriesCollection lines = new XYSeriesCollection();
        errors.values().forEach(lines::addSeries);
        JFreeChart budget = ChartFactory.createXYLineChart("Mean absolute error against budget", "items per scenario",
                "MAE of the overall score", lines, PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(target.resolve("error-vs-budget.png").toFile(), budget, 800, 600);
    }

    /**
     * rows:a-b (explicit rows), kfold:k, newest:n (by models.csv's released column), interpolation (kfold:5),
     * extrapolation (weakest 50% train, strongest 30% estimated).
     */
    static Backtest.Split split(String text, DataFolder data, double[] balance) {
        String[] parts = text.split(":", 2);
        int models = data.matrix().models();
        return switch (parts[0]) {
            case "interpolation" -> new Backtest.Split.KFold(5, 0L);
            case "extrapolation" -> new Backtest.Split.Extrapolation(Backtest.fullScores(data.matrix(),
                    data.scenarioOfItem(), balance), 0.5, 0.3);
            case "rows" -> {
                String[] range = parts.length < 2 ? new String[0] : parts[1].split("-");
                int first = range.length == 2 ? number(text, range[0]) : -1;
                int last = range.length == 2 ? number(text, range[1]) : -1;
                if (first < 0 || last < first || last >= models - 1) {
                    throw new IllegalArgumentException("--split " + text + ": rows:a-b needs 0 <= a <= b < "
                            + (models - 1) + " (the folder has " + models + " models, and some must train)");
                }
                yield new Backtest.Split.HeldOut(IntStream.rangeClosed(first, last).toArray());
            }
            case "kfold" -> {
                int k = parts.length < 2 ? -1 : number(text, parts[1]);
                if (k < 2 || k > models) {
                    throw new IllegalArgumentException("--split " + text + ": kfold:k needs 2 <= k <= " + models);
                }
                yield new Backtest.Split.KFold(k, 0L);
            }
            case "newest" -> {
                int n = parts.length < 2 ? -1 : number(text, parts[1]);
                if (n < 1 || n >= models) {
                    throw new IllegalArgumentException("--split " + text + ": newest:n needs 1 <= n < " + models);
                }
                long dated = data.released() == null ? 0 : Arrays.stream(data.released())
                        .filter(Double::isFinite).count();
                if (dated < models) {
                    throw new IllegalArgumentException("--split " + text + ": newest needs every model's release "
                            + "date (a released column in models.csv); " + dated + " of " + models + " have one");
                }
                yield new Backtest.Split.Newest(data.released(), n);
            }
            default -> throw new IllegalArgumentException("unknown split '" + text + "': use rows:a-b, kfold:k, "
                    + "newest:n, interpolation or extrapolation");
        };
    }

    /** A whole number inside a split's text, or a usage error naming the split. */
    private static int number(String split, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--split " + split + ": '" + text + "' is not a whole number", e);
        }
    }

    /** A usage error: what was wrong, then the usage text; exit code 2. */
    private static int usageError(PrintStream out, String message) {
        out.println("error: " + message);
        out.print(USAGE);
        return 2;
    }
}
