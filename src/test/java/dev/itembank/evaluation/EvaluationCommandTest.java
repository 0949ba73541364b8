package dev.itembank.evaluation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluationCommandTest {

    static final Path WMDP = Path.of("src/test/resources/fixtures/wmdp");

    @TempDir
    Path out;

    @Test
    void backtestsMethodsAndBudgetsIntoAMarkdownTableAndTwoPlots() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status = EvaluationCommand.run(new String[] {"--data", WMDP.toString(), "--methods", "random,anchor-irt",
                "--budgets", "20,50", "--split", "rows:0-15", "--seeds", "1", "--dimensions", "2",
                "--out", out.toString()}, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String report = buffer.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(report).contains("| method | items per scenario | scenario | MAE |");
        // 2 methods x 2 budgets x (2 scenarios + overall)
        assertThat(report.lines().filter(line -> line.startsWith("| random |") || line.startsWith("| anchor-irt |")))
                .hasSize(12);
        assertThat(report).contains("| anchor-irt | 50 | wmdp_bio |", "| random | 20 | overall |");
        assertThat(Files.readString(out.resolve("report.md"))).isEqualTo(report);
        for (String plot : new String[] {"estimates.png", "error-vs-budget.png"}) {
            byte[] png = Files.readAllBytes(out.resolve(plot));
            assertThat(png.length).isGreaterThan(1000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    /**
     * The summary over a folder of data folders: one row per data folder and split, the references read off the
     * same random subsets, and ratios that are the row's own MAE over them.
     */
    @Test
    void summarisesEveryDataFolderAgainstTheRandomReferences() throws Exception {
        Path root = wmdpUnder("data");
        Files.createDirectories(root.resolve("not-a-data-folder"));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status = EvaluationCommand.run(new String[] {"--summary", root.toString(), "--method", "random",
                "--splits", "interpolation,extrapolation", "--seeds", "1", "--calibration", "2pl", "--out",
                out.resolve("summary").toString()}, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String report = buffer.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(report).contains("### random, split interpolation", "### random, split extrapolation");
        java.util.List<String[]> rows = report.lines().filter(line -> line.startsWith("| wmdp |"))
                .map(line -> line.split("\\|")).toList();
        assertThat(rows).hasSize(2);
        for (String[] cells : rows) {
            // | wmdp | 64 x 3260 | 100 | MAE | plain | ridge | aipw | MAE / plain | MAE / best | Kendall | coverage |
            assertThat(cells[2].strip()).isEqualTo("64 x 3260");
            assertThat(cells[3].strip()).isEqualTo("100"); // 20% of wmdp_bio's 1,273 items is more than 100
            double mae = Double.parseDouble(cells[4]);
            double plain = Double.parseDouble(cells[5]);
            double best = Math.min(plain, Math.min(Double.parseDouble(cells[6]), Double.parseDouble(cells[7])));
            assertThat(Double.parseDouble(cells[8])).isCloseTo(mae / plain, org.assertj.core.api.Assertions.within(
                    0.01));
            assertThat(Double.parseDouble(cells[9])).isCloseTo(mae / best, org.assertj.core.api.Assertions.within(
                    0.01));
        }
        assertThat(Files.readString(out.resolve("summary").resolve("summary.md"))).isEqualTo(report);
        assertThat(EvaluationSummary.budget(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1})).isEqualTo(5);
        int[] large = new int[2000];
        java.util.Arrays.fill(large, 1000, 2000, 1);
        java.util.Arrays.fill(large, 0, 300, 2);
        assertThat(EvaluationSummary.budget(large)).isEqualTo(60); // 20% of the 300-item scenario
    }

    /**
     * Repeated backtests at a budget given: the row's MAE and references are means over the runs, and next to the
     * ratio of those means stands the range of the runs' own ratios, which holds it (a ratio of sums is a weighted
     * mean of ratios).
     */
    @Test
    void repeatsEachBacktestWithOtherSeedsAndShowsTheRangeOfItsRatios() throws Exception {
        Path root = wmdpUnder("repeated");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status = EvaluationCommand.run(new String[] {"--summary", root.toString(), "--method", "random",
                "--splits", "extrapolation", "--seeds", "1", "--repeats", "2", "--budget", "20", "--calibration", "2pl",
                "--out",
                out.resolve("repeated-summary").toString()}, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        String[] cells = buffer.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("| wmdp |"))
                .findFirst().orElseThrow().split("\\|");
        assertThat(cells[3].strip()).as("items per scenario, as --budget says").isEqualTo("20");
        double mae = Double.parseDouble(cells[4]);
        double plain = Double.parseDouble(cells[5]);
        java.util.regex.Matcher ratio = java.util.regex.Pattern.compile("([\\d.]+) \\(([\\d.]+)-([\\d.]+)\\)")
                .matcher(cells[8].strip());
        assertThat(ratio.matches()).as(cells[8]).isTrue();
        double of = Double.parseDouble(ratio.group(1));
        assertThat(of).isCloseTo(mae / plain, org.assertj.core.api.Assertions.within(0.01));
        double low = Double.parseDouble(ratio.group(2));
        double high = Double.parseDouble(ratio.group(3));
        assertThat(of).isBetween(low - 0.005, high + 0.005);
        // the runs drew different random subsets (a repeat of one seed would give one ratio twice)
        assertThat(low).isLessThan(high);

        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        assertThat(EvaluationCommand.run(new String[] {"--summary", root.toString(), "--repeats", "0"},
                new PrintStream(refused, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(refused.toString(StandardCharsets.UTF_8)).contains("--repeats must be at least 1");
    }

    /** A folder holding a copy of the WMDP fixture as its one data folder. */
    private Path wmdpUnder(String name) throws java.io.IOException {
        Path root = out.resolve(name);
        Path folder = Files.createDirectories(root.resolve("wmdp"));
        for (String file : new String[] {"matrix.csv", "items.csv", "models.csv"}) {
            Files.copy(WMDP.resolve(file), folder.resolve(file));
        }
        return root;
    }

    @Test
    void withoutDataItPrintsItsUsage() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        assertThat(EvaluationCommand.run(new String[0], new PrintStream(buffer, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(buffer.toString(StandardCharsets.UTF_8)).startsWith("usage: evaluate --data");
    }

    @Test
    void readsTheSharedDataLayout() throws Exception {
        DataFolder data = DataFolder.read(WMDP);
        assertThat(data.matrix().models()).isEqualTo(64);
        assertThat(data.matrix().items()).isEqualTo(3260);
        assertThat(data.scenarioNames()).containsExactly("wmdp_cyber", "wmdp_bio");
        assertThat(data.models().get(0)).isEqualTo("microsoft/Phi-3-medium-4k-instruct");
    }
}
