package dev.itembank.walkthrough;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.TestKeys;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The README's walkthrough, run as written: the shell block between {@code <!-- walkthrough:run -->} and
 * {@code <!-- /walkthrough:run -->} goes to bash against this started service, with the command-line client as the
 * README defines it (here from the test classpath rather than the packaged jar). It must finish without an error
 * and its estimate of the held-out model must land near the model's true full score.
 */
@IntegrationTest
class WalkthroughTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HELD_OUT = "microsoft/Phi-3-medium-4k-instruct";

    @LocalServerPort
    int port;

    @Test
    void theReadmeWalkthroughRunsFromAFreshClone(@TempDir Path temp) throws IOException, InterruptedException {
        String block = walkthroughBlock(Files.readString(Path.of("README.md")));
        assertThat(block).contains("itembank jobs wait").contains("/estimates");
        Path script = temp.resolve("walkthrough.sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "set -euo pipefail\n"
                + "itembank() { '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + ItembankApplication.class.getName() + " \"$@\"; }\n" + block, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(false)
                .redirectError(temp.resolve("stderr.txt").toFile());
        builder.environment().put("ITEMBANK_URL", "http://localhost:" + port);
        builder.environment().put("ITEMBANK_KEY", TestKeys.ADMIN);
        builder.environment().put("B", "walkthrough-" + UUID.randomUUID().toString().substring(0, 8));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(15, TimeUnit.MINUTES)).as("the walkthrough finishes").isTrue();
        String err = Files.readString(temp.resolve("stderr.txt"));
        assertThat(process.exitValue()).as("exit code; stdout:\n" + out + "\nstderr:\n" + err).isZero();

        assertThat(out).contains("\"models\":64").contains("lm_eval --model hf").contains("--samples '{");
        List<String> lines = out.lines().toList();
        JsonNode estimate = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(estimate.path("model").asString()).isEqualTo(HELD_OUT);
        assertThat(estimate.path("missing")).isEmpty();
        double truth = trueMean(HELD_OUT);
        JsonNode overall = estimate.path("overall");
        assertThat(overall.path("estimate").asDouble()).as("the held-out model's estimate against its full score "
                + truth).isCloseTo(truth, within(0.08));
        assertThat(overall.path("lower").asDouble()).isLessThan(overall.path("upper").asDouble());
    }

    /** The model's mean over all items of the fixture, the full score the walkthrough's estimate stands for. */
    private static double trueMean(String model) {
        List<String[]> matrix = Fixtures.wmdpMatrix();
        String[] row = matrix.stream().filter(r -> r[0].equals(model)).findFirst().orElseThrow();
        double sum = 0;
        for (int c = 1; c < row.length; c++) {
            sum += Double.parseDouble(row[c]);
        }
        return sum / (row.length - 1);
    }

    static String walkthroughBlock(String readme) {
        Matcher matcher = Pattern.compile("<!-- walkthrough:run -->\\s*```sh\\n(.*?)```\\s*<!-- /walkthrough:run -->",
                Pattern.DOTALL).matcher(readme);
        assertThat(matcher.find()).as("README.md has a walkthrough block").isTrue();
        return matcher.group(1);
    }
}
