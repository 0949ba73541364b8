package dev.itembank.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.itembank.psychometrics.evaluation.Backtest;
import dev.itembank.psychometrics.evaluation.Metrics;
import dev.itembank.psychometrics.selection.Selection;

/**
 * {@code evaluate --summary <folder>}: the default method backtested on every data folder under one root, for
 * each split asked for, in one table against the references read off random subsets of the same budget (their
 * plain mean, ridge and AIPW; Zhang, Dorner and Hardt, 2025). Leaderboards of more than {@code --max-models}
 * (default 1,000) are backtested on a random sample of that many models (the table says so): {@code auto}'s
 * backtest of every method on thousands of models takes hours on two cores.
 */
final class EvaluationSummary {

    /** Items per scenario: 100, or 20% of the smallest scenario when that is smaller (at least 5). */
    static final int MAX_BUDGET = 100;
    static final double MAX_SHARE = 0.2;

    private EvaluationSummary() {
    }

    static int run(Path root, EvaluationOptions options, PrintStream out) throws IOException {
        List<Path> folders;
        try (Stream<Path> listed = Files.list(root)) {
            folders = listed.filter(folder -> Files.exists(folder.resolve("matrix.csv"))).sorted().toList();
        }
        if (folders.isEmpty()) {
            out.println("no data folders (with a matrix.csv) under " + root);
            return 2;
        }
        List<String> splits = options.splits;
        Selection.Method method;
        try {
            method = Selection.Method.parse(options.method);
        } catch (IllegalArgumentException e) {
            out.println("error: --method: " + e.getMessage());
            return 2;
        }
        int maxModels = options.maxModels;
        Path target = options.out("target/evaluation-summary");
        int repeats = options.repeats;
        int fixedBudget = options.budget;
        Files.createDirectories(target);
        StringBuilder report = new StringBuilder();
        for (String split : splits) {
            report.append("### ").append(method.code()).append(", split ").append(split).append("\n\n")
                    .append("| dataset | models x items | items per scenario | MAE | random mean | random + ridge | "
                            + "random + AIPW | MAE / random mean | MAE / best reference | Kendall | coverage |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            List<double[]> ratios = new ArrayList<>();
            for (Path folder : folders) {
                DataFolder read = DataFolder.read(folder);
                DataFolder data = read.sample(maxModels, 0L);
                double[] balance = EvaluationCommand.balance(data);
                Backtest.Split backtestSplit;
                try {
                    backtestSplit = EvaluationCommand.split(split, data, balance);
                } catch (IllegalArgumentException e) {
                    out.println("error: --splits, " + data.name() + ": " + e.getMessage());
                    return 2;
                }
                int budget = fixedBudget > 0 ? fixedBudget : budget(data.scenarioOfItem());
                long start = System.currentTimeMillis();
                List<Run> each = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    each.add(Run.of(EvaluationCommand.backtest(data, balance, method, budget,
                            backtestSplit, options, r)));
                }
                Runs runs = new Runs(each);
                double mae = runs.mean(Run::mae);
                ratios.add(new double[] {mae / runs.mean(Run::plain), mae / runs.mean(Run::best),
                    runs.mean(Run::coverage)});
                String models = data.matrix().models() == read.matrix().models() ? Integer.toString(
                        data.matrix().models()) : data.matrix().models() + " of " + read.matrix().models();
                String line = String.format("| %s | %s x %d | %d | %.4f | %.4f | %.4f | %.4f | %s | %.2f | %.3f | "
                        + "%.2f |%n", data.name(), models, data.matrix().items(), budget, mae,
                        runs.mean(Run::plain), runs.mean(Run::ridge), runs.mean(Run::aipw), runs.ratioToPlain(),
                        mae / runs.mean(Run::best), runs.mean(Run::kendall), runs.mean(Run::coverage));
                report.append(line);
                System.err.printf("%s %s done in %d s%n", data.name(), split,
                        (System.currentTimeMillis() - start) / 1000);
            }
            report.append(String.format("| mean | | | | | | | %.2f | %.2f | | %.2f |%n%n",
                    ratios.stream().mapToDouble(r -> r[0]).average().orElse(Double.NaN),
                    ratios.stream().mapToDouble(r -> r[1]).average().orElse(Double.NaN),
                    ratios.stream().mapToDouble(r -> r[2]).average().orElse(Double.NaN)));
        }
        out.print(report);
        Files.writeString(target.resolve("summary.md"), report.toString());
        return 0;
    }

    /** One backtest's overall figures. */
    private record Run(double mae, double plain, double ridge, double aipw, double best, double kendall,
            double coverage) {

        static Run of(Backtest.Report result) {
            Metrics m = result.method().get("overall");
            return new Run(m.mae(), result.randomMean().get("overall").mae(),
                    EvaluationCommand.referenceMae(result, "ridge", "overall"),
                    EvaluationCommand.referenceMae(result, "aipw", "overall"),
                    EvaluationCommand.bestReference(result, "overall"), m.kendall(), m.coverage());
        }
    }

    /**
     * The overall figures of one dataset's backtests repeated with seeds 0, 1, ...: each the mean over the runs (a
     * run under the extrapolation split is one draw of the method's subset; its error moves with that draw).
     */
    private record Runs(List<Run> runs) {

        /** A figure's mean over the runs. */
        double mean(java.util.function.ToDoubleFunction<Run> figure) {
            return runs.stream().mapToDouble(figure).average().orElse(Double.NaN);
        }

        /** The ratio of the means, and with several runs the range of the runs' own ratios. */
        String ratioToPlain() {
            String ratio = String.format("%.2f", mean(Run::mae) / mean(Run::plain));
            if (runs.size() == 1) {
                return ratio;
            }
            java.util.DoubleSummaryStatistics each = runs.stream().mapToDouble(r -> r.mae() / r.plain())
                    .summaryStatistics();
            return ratio + String.format(" (%.2f-%.2f)", each.getMin(), each.getMax());
        }
    }

    /** min(100, 20% of the smallest scenario), at least 5. */
    static int budget(int[] scenarioOfItem) {
        int scenarios = Arrays.stream(scenarioOfItem).max().orElse(0) + 1;
        int[] sizes = new int[scenarios];
        for (int s : scenarioOfItem) {
            sizes[s]++;
        }
        int smallest = Arrays.stream(sizes).filter(size -> size > 0).min().orElse(0);
        return Math.max(5, Math.min(MAX_BUDGET, (int) Math.floor(MAX_SHARE * smallest)));
    }
}
