package dev.itembank.dashboard;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.psychometrics.estimation.AutoSelection;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.TestKeys;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Selenium through chromium-driver. Tagged
 * {@code browser}: it runs with {@code ./mvnw -Pbrowser verify}, which {@code .ci/run} runs after installing them
 * (the README's {@code ./mvnw verify} must pass on a machine with only a JDK). A key is entered, a small
 * benchmark uploaded over the API, a calibration and a subset queued from the page and watched to completion, the
 * item map and backtest plot checked for their number of points, an estimate made from the form, an item text
 * holding a script shown as text, and a reader's key shown no write buttons. Screenshots go to
 * {@code target/screenshots/}.
 */
@IntegrationTest
@org.junit.jupiter.api.Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MODELS = 30;
    private static final int ITEMS = 40;
    private static final String SCRIPT = "<script>window.xss = 1</script> What is 2 + 2?";

    @LocalServerPort
    int port;

    ChromeDriver browser;
    WebDriverWait wait;
    String benchmark;
    double[][] matrix = new double[MODELS][ITEMS];

    @BeforeAll
    void startBrowser() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER))
                .as("Chromium and chromium-driver at /usr/bin (apt-get install chromium chromium-driver)").isTrue();
        Path profile = Files.createTempDirectory("itembank-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1366,1000",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofMinutes(3));
        Files.createDirectories(Path.of("target", "screenshots"));
        uploadBenchmark();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** 30 models x 40 items in two scenarios, Rasch answers; item q0's text holds a script. */
    private void uploadBenchmark() {
        Http http = new Http(port);
        benchmark = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark
                + "\",\"description\":\"a small benchmark for the browser test\"}").statusCode()).isEqualTo(201);
        StringBuilder items = new StringBuilder("item_id,scenario,text\n");
        StringBuilder csv = new StringBuilder("model");
        for (int j = 0; j < ITEMS; j++) {
            items.append('q').append(j).append(',').append(j % 2 == 0 ? "reading" : "math").append(',')
                    .append(j == 0 ? "\"" + SCRIPT + "\"" : "Question " + j).append('\n');
            csv.append(",q").append(j);
        }
        csv.append('\n');
        SplittableRandom random = new SplittableRandom(1);
        for (int l = 0; l < MODELS; l++) {
            double ability = -2 + 4.0 * l / (MODELS - 1);
            csv.append('m').append(l);
            for (int j = 0; j < ITEMS; j++) {
                double p = 1 / (1 + Math.exp(-(ability - (-2 + 4.0 * j / (ITEMS - 1)))));
                matrix[l][j] = random.nextDouble() < p ? 1 : 0;
                csv.append(',').append((int) matrix[l][j]);
            }
            csv.append('\n');
        }
        assertThat(http.send("PUT", "/api/v1/benchmarks/" + benchmark + "/items", "text/csv", items.toString())
                .statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/benchmarks/" + benchmark + "/results", "text/csv", csv.toString())
                .statusCode()).isEqualTo(201);
    }

    @Test
    void aWriterCalibratesSelectsAndEstimatesFromThePage() throws IOException {
        signIn(TestKeys.ADMIN);
        assertThat(browser.getTitle()).startsWith("Benchmarks");
        browser.get(base() + "/#/benchmarks/" + benchmark);
        wait.until(d -> !d.findElements(By.cssSelector("#models tbody tr")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#models tbody tr"))).hasSize(MODELS);
        // sorted by mean score: descending on the first click, ascending on the second
        WebElement meanScore = browser.findElement(By.xpath("//table[@id='models']//th/button[text()='Mean score']"));
        meanScore.click();
        List<Double> scores = meanScores();
        assertThat(scores).hasSize(MODELS).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(scores.get(0)).isEqualTo(java.util.Arrays.stream(matrix).mapToDouble(row ->
                java.util.Arrays.stream(row).average().orElseThrow()).max().orElseThrow(), org.assertj.core.data
                .Offset.offset(1e-4));
        browser.findElement(By.xpath("//table[@id='models']//th/button[text()='Mean score']")).click();
        assertThat(meanScores()).isSorted();

        new Select(browser.findElement(By.id("calibration-model"))).selectByValue("2pl");
        browser.findElement(By.id("held-out")).sendKeys("m3, m10, m17, m24, m28");
        browser.findElement(By.id("calibrate")).click();
        watchJobToSuccess("calibration");
        browser.findElement(By.id("job-result-link")).click();
        wait.until(d -> d.findElement(By.cssSelector("#item-map[data-points] svg")));
        WebElement map = browser.findElement(By.id("item-map"));
        assertThat(map.getDomAttribute("data-points")).isEqualTo(String.valueOf(ITEMS));
        assertThat(chartPoints("item-map", -1)).as("points the item map's chart holds").isEqualTo(ITEMS);
        WebElement scriptCell = browser.findElement(By.cssSelector("#items tbody tr td.item-text"));
        assertThat(scriptCell.getText()).as("the item text is shown as text").isEqualTo(SCRIPT);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.xss === undefined")).isEqualTo(true);
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        screenshot("calibration");

        browser.get(base() + "/#/benchmarks/" + benchmark);
        wait.until(d -> d.findElement(By.id("select-subset")).isEnabled());
        new Select(browser.findElement(By.id("subset-method"))).selectByValue("random");
        WebElement perScenario = browser.findElement(By.id("subset-items"));
        perScenario.clear();
        perScenario.sendKeys("8");
        browser.findElement(By.id("select-subset")).click();
        watchJobToSuccess("subset");
        browser.findElement(By.id("job-result-link")).click();
        wait.until(d -> d.findElement(By.cssSelector("#backtest[data-points] svg")));
        WebElement backtest = browser.findElement(By.id("backtest"));
        assertThat(backtest.getDomAttribute("data-points")).as("one point per held-out model").isEqualTo("5");
        assertThat(chartPoints("backtest", 0)).as("estimates the backtest's chart holds").isEqualTo(5);
        List<String> subsetItems = new ArrayList<>();
        browser.findElements(By.cssSelector("#subset-items tbody tr td:first-child"))
                .forEach(cell -> subsetItems.add(cell.getText()));
        assertThat(subsetItems).hasSize(16);

        browser.findElement(By.id("lm-eval-samples")).click();
        wait.until(d -> d.findElement(By.id("lm-eval-output")).isDisplayed());
        assertThat(browser.findElement(By.id("lm-eval-output")).getText()).contains("have no lm-evaluation-harness");

        Map<String, Object> responses = new LinkedHashMap<>();
        subsetItems.forEach(item -> responses.put(item, matrix[20][Integer.parseInt(item.substring(1))]));
        WebElement answers = browser.findElement(By.id("estimate-body"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", answers,
                JSON.writeValueAsString(Map.of("model", "org/browser-model", "responses", responses)));
        browser.findElement(By.id("estimate-submit")).click();
        WebElement table = wait.until(d -> d.findElement(By.id("estimate-table")));
        assertThat(table.getText()).contains("org/browser-model").contains("overall").contains("reading")
                .contains("math");
        wait.until(d -> d.findElement(By.cssSelector("#estimate-chart svg")));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('estimate-table').scrollIntoView()");
        screenshot("estimate");
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        screenshot("subset");
    }

    @Test
    void anAutoSubsetShowsTheMethodsItCompared() throws IOException {
        Http http = new Http(port);
        HttpResponse<String> calibration = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/calibrations",
                "application/json", "{\"model\":\"1pl\"}");
        dev.itembank.support.JobWaiter.succeeded(http, calibration.headers().firstValue("Location").orElseThrow(),
                Duration.ofMinutes(3));
        HttpResponse<String> subset = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/subsets",
                "application/json", "{\"method\":\"auto\",\"itemsPerScenario\":6,\"seed\":2}");
        String result = dev.itembank.support.JobWaiter.succeeded(http, subset.headers().firstValue("Location")
                .orElseThrow(), Duration.ofMinutes(5)).path("result").asString();
        // over REST: every candidate's cross-validated error, and (30 models: 15 weaker ones to fit on, 9 strongest
        // to read) its error beyond the training models, for the same candidates
        JsonNode published = Http.json(http.get(result));
        JsonNode diagnostics = published.path("diagnostics");
        java.util.Set<String> candidates = new java.util.TreeSet<>(diagnostics.path("autoCandidates").propertyNames());
        assertThat(candidates).hasSizeGreaterThanOrEqualTo(3).contains("random", "stratified");
        assertThat(diagnostics.path("autoCandidatesBeyond").propertyNames()).contains("random")
                .isSubsetOf(candidates);
        diagnostics.path("autoCandidatesBeyond").properties().forEach(e -> assertThat(e.getValue().asDouble())
                .as(e.getKey()).isPositive().isLessThan(1));
        // the chosen method is within the limit; every candidate above it was out
        double limit = diagnostics.path("autoBeyondLimit").asDouble();
        assertThat(limit).isCloseTo(AutoSelection.GUARD * diagnostics.path("autoCandidatesBeyond").path("random")
                .asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(diagnostics.path("autoCandidatesBeyond").path(published.path("parameters").path("chosen")
                .asString()).asDouble()).isLessThanOrEqualTo(limit);
        // and how the published subset reads models beyond the training ones, per scenario
        java.util.Set<String> readings = new java.util.HashSet<>(dev.itembank.psychometrics.estimation.EstimationModel
                .FALLBACKS);
        readings.add("default");
        assertThat(diagnostics.path("fallbacks").propertyNames()).containsExactlyInAnyOrder("reading", "math");
        diagnostics.path("fallbacks").properties().forEach(e -> assertThat(e.getValue().asString()).isIn(readings));
        signIn(TestKeys.ADMIN);
        browser.get(base() + "/#/subsets/" + result.substring(result.lastIndexOf('/') + 1));
        wait.until(d -> d.findElement(By.cssSelector("#method-errors[data-points] svg")));
        WebElement methods = browser.findElement(By.id("method-errors"));
        assertThat(Integer.parseInt(methods.getDomAttribute("data-points"))).as("every method auto backtested")
                .isEqualTo(candidates.size());
        assertThat(methods.getDomAttribute("data-series")).as("cross-validated and beyond the training models")
                .isEqualTo("2");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", methods);
        screenshot("auto-methods");
    }

    @Test
    void aReaderSeesNoWriteButtons() {
        Http http = new Http(port);
        HttpResponse<String> created = http.send("POST", "/api/v1/api-keys", "application/json",
                "{\"name\":\"dashboard reader\",\"role\":\"reader\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        signIn(Http.json(created).path("key").asString());
        browser.get(base() + "/#/benchmarks/" + benchmark);
        wait.until(d -> !d.findElements(By.cssSelector("#models tbody tr")).isEmpty());
        assertThat(browser.findElements(By.id("calibrate"))).isEmpty();
        assertThat(browser.findElements(By.id("select-subset"))).isEmpty();
        assertThat(browser.findElement(By.id("caller")).getText()).contains("reader");
    }

    @Test
    void aWrongKeyIsRefusedAndTheKeyNeverAppearsInTheUrl() {
        browser.get(base() + "/");
        forgetKey();
        wait.until(d -> d.findElement(By.id("key"))).sendKeys("ib_not-a-key");
        browser.findElement(By.id("use-key")).click();
        wait.until(d -> d.findElement(By.id("status")).getText().contains("not accepted"));
        assertThat(browser.getCurrentUrl()).doesNotContain("ib_");
        assertThat(browser.findElement(By.id("key")).getDomAttribute("type")).isEqualTo("password");
        assertThat(browser.findElement(By.cssSelector("label[for='key']")).getText()).isEqualTo("API key");
    }

    /** The data points ECharts holds for a chart: of one series, or of all ({@code -1}). */
    private long chartPoints(String id, int series) {
        Object count = ((JavascriptExecutor) browser).executeScript("const s = echarts.getInstanceByDom("
                + "document.getElementById(arguments[0])).getOption().series; return arguments[1] < 0"
                + " ? s.reduce((n, x) => n + x.data.length, 0) : s[arguments[1]].data.length;", id, series);
        return ((Number) count).longValue();
    }

    private List<Double> meanScores() {
        return browser.findElements(By.cssSelector("#models tbody tr td:nth-child(3)")).stream()
                .map(cell -> Double.parseDouble(cell.getText())).toList();
    }

    private void signIn(String key) {
        browser.get(base() + "/");
        forgetKey();
        WebElement input = wait.until(d -> d.findElement(By.id("key")));
        input.sendKeys(key);
        browser.findElement(By.id("use-key")).click();
        wait.until(d -> d.findElement(By.id("forget")).isDisplayed());
        assertThat(browser.getCurrentUrl()).doesNotContain(key);
    }

    private void forgetKey() {
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear(); location.hash = '#/';");
        browser.navigate().refresh();
    }

    private void watchJobToSuccess(String type) {
        wait.until(d -> d.getCurrentUrl().contains("#/jobs/"));
        WebElement state = wait.until(d -> d.findElement(By.id("job-state")));
        wait.until(d -> {
            String current = d.findElement(By.id("job-state")).getDomAttribute("data-state");
            assertThat(current).as(d.findElement(By.id("job-state")).getText()).isNotIn("failed", "cancelled");
            return "succeeded".equals(current);
        });
        assertThat(state.getText()).startsWith(type + ": succeeded");
        assertThat(browser.findElement(By.id("job-progress")).getDomProperty("value")).isEqualTo("1");
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "screenshots", name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
