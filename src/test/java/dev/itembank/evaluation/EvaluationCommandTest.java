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
