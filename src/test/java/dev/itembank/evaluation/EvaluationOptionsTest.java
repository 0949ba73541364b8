package dev.itembank.evaluation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluation command's command line: help, and usage errors that name the option at fault (exit 2) instead of
 * a stack trace or an option silently ignored. Every case here is refused before any backtest runs.
 */
class EvaluationOptionsTest {

    static final String WMDP = EvaluationCommandTest.WMDP.toString();

    @Test
    void helpPrintsTheUsageAndSucceeds() throws Exception {
        Outcome help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.output()).startsWith("usage: evaluate --data").contains("--adaptive", "--summary");
        Outcome version = run("--version");
        assertThat(version.status()).isZero();
        assertThat(version.output()).startsWith("itembank ");
    }

    /** A summary option given to a one-folder backtest was silently ignored before: now it is named. */
    @Test
    void aMisspeltOrUnknownOptionIsAUsageErrorNamingIt() throws Exception {
        Outcome typo = run("--data", WMDP, "--budgetz", "50");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.output()).startsWith("error: ").contains("--budgetz").contains("usage: evaluate");
        Outcome stray = run("--data", WMDP, "wmdp");
        assertThat(stray.status()).isEqualTo(2);
        assertThat(stray.output()).contains("wmdp");
    }

    /** A summary's option given to a one-folder backtest, or the reverse, was silently ignored before. */
    @Test
    void anOptionOfTheOtherModeIsNamedWithTheModeThatReadsIt() throws Exception {
        Outcome budget = run("--data", WMDP, "--budget", "50");
        assertThat(budget.status()).isEqualTo(2);
        assertThat(budget.output()).contains("--budget is an option of --summary backtests (a --data backtest takes "
                + "--budgets)");
        Outcome split = run("--summary", "no/such/root", "--split", "kfold:3", "--adaptive", "25");
        assertThat(split.status()).isEqualTo(2);
        assertThat(split.output()).contains("--split is an option of --data backtests",
                "--adaptive is an option of --data backtests");
    }

    /** WMDP's models.csv has no release dates: newest:n used to backtest nothing and print NaN. */
    @Test
    void newestNeedsReleaseDates() throws Exception {
        Outcome newest = run("--data", WMDP, "--split", "newest:5", "--methods", "random", "--budgets", "5");
        assertThat(newest.status()).isEqualTo(2);
        assertThat(newest.output()).contains("--split newest:5: newest needs every model's release date",
                "0 of 64 have one");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheirOption() throws Exception {
        assertThat(run("--data", WMDP, "--budgets", "10,x").output()).contains("--budgets").contains("'x'");
        assertThat(run("--data", WMDP, "--budgets", "0").output()).contains("--budgets must be at least 1, got 0");
        assertThat(run("--data", WMDP, "--level", "1.5").output()).contains("--level must be between 0 and 1");
        assertThat(run("--data", WMDP, "--adaptive").output()).contains("--adaptive");
        assertThat(run("--data", WMDP, "--split", "kfold:1").output()).contains("--split kfold:1", "2 <= k <= 64");
        assertThat(run("--data", WMDP, "--split", "rows:5").output()).contains("rows:a-b");
        assertThat(run("--data", WMDP, "--split", "rows:0-70").output()).contains("64 models");
        assertThat(run("--data", WMDP, "--split", "kfold:x").output()).contains("'x' is not a whole number");
        assertThat(run("--data", WMDP, "--methods", "random,best").output()).contains("unknown selection method 'best'");
        assertThat(run("--data", "no/such/folder").output()).contains("--data no/such/folder has no matrix.csv");
        assertThat(run("--data", WMDP, "--summary", WMDP).output()).contains("--data and --summary exclude each other");
        for (String[] args : List.of(new String[] {"--data", WMDP, "--budgets", "0"},
                new String[] {"--data", "no/such/folder"}, new String[] {"--budgetz"})) {
            assertThat(run(args).status()).as(String.join(" ", args)).isEqualTo(2);
        }
    }

    /**
     * Whatever a user types, without a data folder to read the command answers with its usage or an error (exit 2),
     * or with help or its version (exit 0); it never throws.
     */
    @Property(tries = 300)
    void aCommandLineWithoutDataNeverThrows(@ForAll("commandLines") List<String> args) throws Exception {
        Outcome outcome = run(args.toArray(String[]::new));
        assertThat(outcome.status()).isIn(0, 2);
        assertThat(outcome.output()).isNotBlank();
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("--methods", "--budgets", "--split", "--calibration", "--dimensions", "--seeds",
                        "--level", "--nested", "--adaptive", "--batch", "--splits", "--method", "--repeats",
                        "--budget", "--max-models", "--help", "--version", "--", "-", "--data", "--out"),
                Arbitraries.of("0", "-1", "1.5", "x", "kfold:0", "rows:3-1", "10,20", "", "random", "--nested=maybe"),
                Arbitraries.strings().ofMaxLength(6));
        // --data and --summary take the next token as a folder; none of these tokens is one with a matrix.csv
        return token.list().ofMaxSize(6).map(ArrayList::new);
    }

    private static Outcome run(String... args) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status = EvaluationCommand.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return new Outcome(status, buffer.toString(StandardCharsets.UTF_8));
    }

    private record Outcome(int status, String output) {
    }

}
