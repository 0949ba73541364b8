package dev.itembank.flow;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.ItembankApplication;
import dev.itembank.psychometrics.irt.CalibrationMonitor;
import dev.itembank.psychometrics.irt.Calibrator;
import dev.itembank.psychometrics.irt.MultidimensionalItems;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IsolatedDatabase;
import dev.itembank.support.JobWaiter;
import dev.itembank.support.TestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Jobs survive their workers: a second instance on the same database finishes a job whose first worker was stopped
 * (its application context closed: the job is handed back) or killed outright (SIGKILL of a separate JVM: the job
 * is claimed again when its lease runs out). The result is the one a direct computation gives.
 */
class WorkerFailoverTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final String CALIBRATION = "{\"model\":\"mirt\",\"dimensions\":\"auto\",\"seed\":3}";
    private static TestDatabase.Connection database;
    private static double[] expectedIntercepts;

    @BeforeAll
    static void createDatabaseAndReference() {
        database = IsolatedDatabase.create("failover");
        Fixtures.Wmdp wmdp = Fixtures.wmdp();
        Calibrator.Request request = new Calibrator.Request("mirt", null, null, false, null, null, wmdp.scenarioOfItem(),
                3L, Math.max(1, Runtime.getRuntime().availableProcessors() - 1)); // the service's threads per job
        expectedIntercepts = ((MultidimensionalItems) Calibrator.calibrate(wmdp.responses(), request,
                CalibrationMonitor.NONE).calibration().items()).intercepts();
    }

    @Test
    void aJobHandedBackByAStoppingInstanceIsFinishedByAnother() {
        String benchmark;
        String jobPath;
        try (ConfigurableApplicationContext first = start()) {
            Http http = new Http(port(first));
            benchmark = uploadWmdp(http, "stopped");
            jobPath = queue(http, benchmark);
            awaitRunning(http, jobPath);
        }
        try (ConfigurableApplicationContext second = start()) {
            Http http = new Http(port(second));
            JsonNode job = JobWaiter.succeeded(http, jobPath, TIMEOUT);
            assertThat(job.path("attempts").asInt()).as("a hand-back does not count as an attempt").isEqualTo(1);
            assertSameAsDirectComputation(http, job);
        }
    }

    @Test
    void aJobWhoseWorkerWasKilledIsClaimedAgainWhenItsLeaseRunsOut() throws Exception {
        String benchmark;
        String jobPath;
        Process worker;
        try (ConfigurableApplicationContext api = start("--itembank.jobs.enabled=false")) {
            Http http = new Http(port(api));
            benchmark = uploadWmdp(http, "killed");
            jobPath = queue(http, benchmark);
            worker = startSeparateWorker();
            try {
                awaitRunning(http, jobPath);
            } finally {
                worker.destroyForcibly().waitFor();
            }
            JsonNode orphan = Http.json(http.get(jobPath));
            assertThat(orphan.path("state").asString()).as("nothing tells the queue that the worker died")
                    .isEqualTo("running");
        }
        try (ConfigurableApplicationContext second = start()) {
            Http http = new Http(port(second));
            JsonNode job = JobWaiter.succeeded(http, jobPath, TIMEOUT);
            assertThat(job.path("attempts").asInt()).isEqualTo(2);
            assertSameAsDirectComputation(http, job);
        }
    }

    private static void assertSameAsDirectComputation(Http http, JsonNode job) {
        JsonNode calibration = Http.json(http.get(job.path("result").asString()));
        JsonNode items = calibration.path("items");
        assertThat(items).hasSize(expectedIntercepts.length);
        double[] intercepts = IntStream.range(0, items.size()).mapToDouble(j -> items.get(j).path("d").asDouble())
                .toArray();
        for (int j = 0; j < intercepts.length; j++) {
            assertThat(intercepts[j]).as("intercept of item %d", j).isCloseTo(expectedIntercepts[j], within(1e-9));
        }
    }

    private static String uploadWmdp(Http http, String prefix) {
        String name = prefix + "-" + System.nanoTime();
        assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + name + "\"}")
                .statusCode()).isEqualTo(201);
        assertThat(http.send("PUT", "/api/v1/benchmarks/" + name + "/items", "text/csv",
                Fixtures.text("wmdp/items.csv")).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/benchmarks/" + name + "/results", "text/csv",
                Fixtures.text("wmdp/matrix.csv")).statusCode()).isEqualTo(201);
        return name;
    }

    private static String queue(Http http, String benchmark) {
        var response = http.send("POST", "/api/v1/benchmarks/" + benchmark + "/calibrations", "application/json",
                CALIBRATION);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** Waits until a worker has claimed the job and reported progress. */
    private static void awaitRunning(Http http, String jobPath) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            JsonNode job = Http.json(http.get(jobPath));
            if (job.path("state").asString().equals("running") && job.path("progress").asDouble() > 0) {
                return;
            }
            assertThat(job.path("state").asString()).as(job.toString()).isIn("queued", "running");
            assertThat(Instant.now()).as("job never started").isBefore(deadline);
            JobWaiter.sleep(100);
        }
    }

    private static ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(arguments());
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(ItembankApplication.class).run(args.toArray(String[]::new));
    }

    private static List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--itembank.jobs.workers=1",
                "--itembank.jobs.lease=3s", "--itembank.jobs.heartbeat-interval=300ms",
                "--itembank.jobs.poll-interval=200ms", "--itembank.jobs.shutdown-grace=5s"));
        args.addAll(IsolatedDatabase.arguments(database));
        return args;
    }

    /** The service in its own JVM, as a worker only (no web server), so that it can be killed with SIGKILL. */
    private Process startSeparateWorker() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), ItembankApplication.class.getName()));
        command.addAll(arguments());
        command.add("--spring.main.web-application-type=none");
        Files.createDirectories(Path.of("target"));
        File log = Path.of("target", "failover-worker.log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        assertThat(process.isAlive()).as(Files.exists(log.toPath()) ? Files.readString(log.toPath()) : "").isTrue();
        return process;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
