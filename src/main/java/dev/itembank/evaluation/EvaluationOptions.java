package dev.itembank.evaluation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The evaluation command's options, parsed by picocli: a misspelt or unknown option, a value of the wrong type or a
 * missing value is a usage error (exit 2, naming the option), not a stack trace or a silently ignored flag.
 * {@code --data} backtests one folder; {@code --summary} every folder under a root (its options are the second group
 * of the usage text).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        versionProvider = dev.itembank.cli.ItembankCli.Version.class)
final class EvaluationOptions {

    @Option(names = "--data", paramLabel = "<folder>", description = "a data folder (matrix.csv, items.csv)")
    Path data;

    @Option(names = "--summary", paramLabel = "<folder>", description = "a folder of data folders")
    Path summary;

    @Option(names = "--methods", split = ",", description = "selection methods (default anchor-irt,random)")
    List<String> methods = new ArrayList<>(List.of("anchor-irt", "random"));

    @Option(names = "--budgets", split = ",", description = "items per scenario (default 100)")
    int[] budgets = {100};

    @Option(names = "--split", description = "rows:a-b | kfold:k | newest:n | interpolation | extrapolation")
    String split = "kfold:5";

    @Option(names = "--calibration", description = "mirt | 1pl | 2pl | 3pl | 4pl (default mirt)")
    String calibration = "mirt";

    @Option(names = "--dimensions", description = "mirt's dimensions (default 5)")
    int dimensions = 5;

    @Option(names = "--seeds", description = "random subsets per backtest (default 3)")
    int seeds = 3;

    @Option(names = "--level", description = "interval level (default 0.9)")
    double level = 0.9;

    @Option(names = "--nested", description = "honest interval coverage (nested cross-validation)")
    boolean nested;

    @Option(names = "--adaptive", split = ",", description = "simulate adaptive sessions with at most these items "
            + "per scenario")
    int[] adaptive;

    @Option(names = "--batch", description = "an adaptive session's items at a time (default 10)")
    int batch = 10;

    @Option(names = "--out", description = "where the report and plots go")
    Path out;

    @Option(names = "--splits", split = ",", description = "the summary's splits (default interpolation,"
            + "extrapolation)")
    List<String> splits = new ArrayList<>(List.of("interpolation", "extrapolation"));

    @Option(names = "--method", description = "the summary's method (default auto)")
    String method = "auto";

    @Option(names = "--repeats", description = "the summary's runs per backtest (default 1)")
    int repeats = 1;

    @Option(names = "--budget", description = "the summary's items per scenario (default: 100 or 20% of the "
            + "smallest scenario)")
    int budget;

    @Option(names = "--max-models", description = "the summary's models per leaderboard at most (default 1000)")
    int maxModels = 1000;

    /** Parses {@code args}; a {@link CommandLine.ParameterException} names what was wrong. */
    static CommandLine.ParseResult parse(EvaluationOptions options, String[] args) {
        return new CommandLine(options).parseArgs(args);
    }

    /** Options that only a one-folder backtest ({@code --data}) reads. */
    static final List<String> DATA_ONLY = List.of("--methods", "--budgets", "--split", "--adaptive", "--batch");
    /** Options that only {@code --summary} reads. */
    static final List<String> SUMMARY_ONLY = List.of("--splits", "--method", "--repeats", "--budget", "--max-models");

    /**
     * Options given to the mode that does not read them ({@code --budget} with {@code --data} was silently ignored),
     * each named with the mode that does.
     */
    static List<String> misplaced(CommandLine.ParseResult parsed) {
        boolean summary = parsed.hasMatchedOption("--summary");
        List<String> problems = new ArrayList<>();
        for (String name : summary ? DATA_ONLY : SUMMARY_ONLY) {
            if (parsed.hasMatchedOption(name)) {
                problems.add(name + " is an option of " + (summary ? "--data" : "--summary") + " backtests"
                        + (name.equals("--budget") ? " (a --data backtest takes --budgets)" : "")
                        + (name.equals("--budgets") ? " (--summary takes one --budget)" : ""));
            }
        }
        return problems;
    }

    /**
     * What is wrong with the values (each message names its option), or an empty list. Checked before any data is
     * read, so a bad value costs nothing.
     */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (data != null && summary != null) {
            problems.add("--data and --summary exclude each other");
        }
        for (int b : budgets) {
            atLeast(problems, "--budgets", b, 1);
        }
        for (int a : adaptive == null ? new int[0] : adaptive) {
            atLeast(problems, "--adaptive", a, 1);
        }
        atLeast(problems, "--dimensions", dimensions, 1);
        atLeast(problems, "--seeds", seeds, 1);
        atLeast(problems, "--batch", batch, 1);
        atLeast(problems, "--repeats", repeats, 1);
        atLeast(problems, "--budget", budget, 0); // 0: the summary's own budget per folder
        atLeast(problems, "--max-models", maxModels, 2);
        if (!(level > 0 && level < 1)) {
            problems.add("--level must be between 0 and 1, got " + level);
        }
        return problems;
    }

    private static void atLeast(List<String> problems, String option, int value, int least) {
        if (value < least) {
            problems.add(option + " must be at least " + least + ", got " + value);
        }
    }

    /** {@code --out}, or the default folder of the command run. */
    Path out(String fallback) {
        return out != null ? out : Path.of(fallback);
    }
}
