package dev.itembank.estimates;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.support.BenchmarkReport;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.JobWaiter;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latency of {@code POST /api/v1/subsets/{id}/estimates} for a 600-item subset (6 scenarios x 100) of a
 * 12,000-item benchmark calibrated with D = 10, over loopback HTTP, against a baseline of the cheapest request
 * the service answers (liveness) measured the same way. Run with {@code ./mvnw -Pbenchmark verify}.
 */
@Tag("benchmark")
@IntegrationTest
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class EstimateBenchmark {

    private static final int MODELS = 240;
    private static final int SCENARIOS = 6;
    private static final int PER_SCENARIO = 2000;
    private static final int REQUESTS = 3000;

    @LocalServerPort
    int port;

    Http http;
    String base;
    String estimates;
    List<String> bodies;

    @org.junit.jupiter.api.BeforeAll
    void calibrateAndSelect() {
        http = new Http(port);
        String benchmark = "estimates-" + System.nanoTime();
        base = "/api/v1/benchmarks/" + benchmark;
        http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}");
        SplittableRandom random = new SplittableRandom(7);
        String[] itemIds = new String[SCENARIOS * PER_SCENARIO];
        StringBuilder items = new StringBuilder("item_id,scenario,subscenario,text\n");
        for (int j = 0; j < itemIds.length; j++) {
            itemIds[j] = "s" + (j / PER_SCENARIO) + "_" + j;
            items.append(itemIds[j]).append(",s").append(j / PER_SCENARIO).append(",,\n");
        }
        assertThat(http.send("PUT", base + "/items", "text/csv", items.toString()).statusCode()).isEqualTo(200);
        double[][] answers = simulate(random, itemIds.length);
        StringBuilder csv = new StringBuilder("model");
        for (String id : itemIds) {
            csv.append(',').append(id);
        }
        csv.append('\n');
        for (int l = 0; l < MODELS; l++) {
            csv.append("model-").append(l);
            for (double v : answers[l]) {
                csv.append(',').append((int) v);
            }
            csv.append('\n');
        }
        assertThat(http.send("POST", base + "/results", "text/csv", csv.toString()).statusCode()).isEqualTo(201);
        String calibrationJob = http.send("POST", base + "/calibrations", "application/json",
                "{\"model\":\"mirt\",\"dimensions\":10,\"heldOutModels\":[\"model-0\",\"model-1\",\"model-2\"]}")
                .headers().firstValue("Location").orElseThrow();
        JobWaiter.succeeded(http, calibrationJob, Duration.ofMinutes(10));
        String subsetJob = http.send("POST", base + "/subsets", "application/json",
                "{\"method\":\"random\",\"itemsPerScenario\":100,\"nestedIntervals\":false}").headers()
                .firstValue("Location").orElseThrow();
        String subsetPath = JobWaiter.succeeded(http, subsetJob, Duration.ofMinutes(10)).path("result").asString();
        JsonNode subset = Http.json(http.get(subsetPath));
        assertThat(subset.path("items")).hasSize(600);
        bodies = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            StringBuilder body = new StringBuilder("{\"model\":\"new-").append(k).append("\",\"responses\":{");
            int[] at = {0};
            int row = k;
            subset.path("items").forEach(item -> {
                String id = item.path("itemId").asString();
                int column = Integer.parseInt(id.substring(id.indexOf('_') + 1));
                body.append(at[0]++ == 0 ? "" : ",").append('"').append(id).append("\":")
                        .append((int) answers[row][column]);
            });
            bodies.add(body.append("}}").toString());
        }
        estimates = subsetPath + "/estimates";
    }

    @Test
    void estimatesOfA600ItemSubsetWithTenDimensions() throws Exception {
        // warm-up: the JIT, the subset's restored estimators and the connection pool
        latencies(http, estimates, bodies, 300);
        latencies(http, "/actuator/health/liveness", null, 300);
        double[] baseline = latencies(http, "/actuator/health/liveness", null, REQUESTS);
        double[] sequential = latencies(http, estimates, bodies, REQUESTS);
        double[] concurrent = concurrent(http, estimates, bodies, 2, REQUESTS / 2);
        double p99 = percentile(sequential, 0.99);
        double p99Concurrent = percentile(concurrent, 0.99);
        new BenchmarkReport("estimates", "Estimates: 600-item subset, 12,000 items, D = 10 (" + REQUESTS
                + " requests over loopback HTTP)")
                .row("p50 latency, one client", String.format("%.1f ms", percentile(sequential, 0.5)), "", "")
                .row("p99 latency, one client", String.format("%.1f ms", p99), "<= 50 ms",
                        BenchmarkReport.within(p99, 50))
                .row("p99 latency, two concurrent clients", String.format("%.1f ms", p99Concurrent), "<= 50 ms",
                        BenchmarkReport.within(p99Concurrent, 50))
                .row("baseline: p99 of GET /actuator/health/liveness", String.format("%.1f ms",
                        percentile(baseline, 0.99)), "", String.format("estimates take %.1fx the baseline p99",
                        p99 / percentile(baseline, 0.99)))
                .note("Each estimate parses 600 answers, fits a 10-dimensional ability by BFGS, predicts the 11,400 "
                        + "unanswered items, reads six estimators, sizes conformal intervals and stores the result.")
                .write();
        assertThat(p99).isPositive();
    }

    /**
     * Open-loop load: 200 estimate requests per second for 60 s, each timed from when it was due (so a stall counts
     * against every request it delays), while calibrations with a dimension search run on the same instance.
     */
    @Test
    void holdsTwoHundredEstimatesPerSecondWhileACalibrationRuns() throws Exception {
        latencies(http, estimates, bodies, 300);
        // one calibration at a time, for the whole run: the next is queued when one ends
        List<String> calibrations = java.util.Collections.synchronizedList(new ArrayList<>());
        Runnable queueCalibration = () -> calibrations.add(http.send("POST", base + "/calibrations",
                "application/json", "{\"model\":\"mirt\",\"dimensions\":\"auto\",\"seed\":"
                        + calibrations.size() + "}").headers().firstValue("Location").orElseThrow());
        queueCalibration.run();
        JobWaiter.sleep(2000);
        int rate = 200;
        int seconds = 60;
        int total = rate * seconds;
        double[] millis = new double[total];
        int[] statuses = new int[total];
        // blocking HTTP/1.1 keep-alive connections from a pool of client threads (the JDK HttpClient's single
        // selector thread, not the service, set the latency when it drove this load)
        ExecutorService clients = Executors.newFixedThreadPool(32);
        java.util.concurrent.ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(total);
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.net.URL url = java.net.URI.create("http://localhost:" + port + estimates).toURL();
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        int[] runningSamples = {0, 0};
        clock.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            // every request that is due by now goes out, so that a late tick does not lower the rate
            while (sent.get() < total && start + sent.get() * periodNanos <= now) {
                int k = sent.getAndIncrement();
                long due = start + k * periodNanos;
                clients.execute(() -> {
                    statuses[k] = post(url, bodies.get(k % bodies.size()));
                    millis[k] = (System.nanoTime() - due) / 1e6;
                    done.countDown();
                });
            }
        }, 0, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        java.util.concurrent.ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            String last = calibrations.get(calibrations.size() - 1);
            String state = Http.json(http.get(last)).path("state").asString();
            boolean running = state.equals("running");
            if (!running && !state.equals("queued")) {
                queueCalibration.run();
            }
            synchronized (runningSamples) {
                runningSamples[0] += running ? 1 : 0;
                runningSamples[1]++;
            }
        }, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.await(seconds + 60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        double elapsed = (System.nanoTime() - start) / 1e9;
        clock.shutdownNow();
        sampler.shutdownNow();
        clients.shutdownNow();
        long errors = java.util.Arrays.stream(statuses).filter(status -> status != 201).count();
        double p99 = percentile(millis, 0.99);
        double share;
        synchronized (runningSamples) {
            share = runningSamples[0] / (double) runningSamples[1];
        }
        http.send("DELETE", calibrations.get(calibrations.size() - 1), null, null);
        new BenchmarkReport("load", "Load: " + rate + " estimates per second for " + seconds + " s while "
                + "calibrations run (600-item subset, 12,000 items, D = 10)")
                .row("requests (open loop, timed from when each was due)", total + " in " + String.format("%.1f s",
                        elapsed), rate * seconds + " in " + seconds + " s", "")
                .row("errors (anything but 201)", Long.toString(errors), "0", errors == 0 ? "met" : "MISSED")
                .row("p50 latency", String.format("%.1f ms", percentile(millis, 0.5)), "", "")
                .row("p99 latency", String.format("%.1f ms", p99), "<= 50 ms", BenchmarkReport.within(p99, 50))
                .row("max latency", String.format("%.1f ms", percentile(millis, 1.0)), "", "")
                .row("share of the run with a calibration running", String.format("%.0f%% (%d calibrations)",
                        100 * share, calibrations.size()), "", "")
                .note("Loopback HTTP on the same 2-core machine as the service, the client (32 threads, blocking "
                        + "keep-alive connections) and the calibrations; job threads run at niceness 10.")
                .write();
        assertThat(errors).isZero();
    }

    /** One POST on a keep-alive connection; the status, or -1 when the request failed. */
    private static int post(java.net.URL url, String body) {
        try {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) url.openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty("Authorization", "Bearer " + dev.itembank.support.TestKeys.ADMIN);
            try (java.io.OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            try (java.io.InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return status;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static double[][] simulate(SplittableRandom random, int items) {
        int dimensions = 3;
        double[][] theta = new double[MODELS][dimensions];
        for (double[] t : theta) {
            for (int d = 0; d < dimensions; d++) {
                t[d] = random.nextGaussian();
            }
        }
        double[][] answers = new double[MODELS][items];
        for (int j = 0; j < items; j++) {
            double[] a = new double[dimensions];
            for (int d = 0; d < dimensions; d++) {
                a[d] = random.nextDouble(0.2, 1.5);
            }
            double b = random.nextGaussian();
            for (int l = 0; l < MODELS; l++) {
                double z = -b;
                for (int d = 0; d < dimensions; d++) {
                    z += a[d] * theta[l][d];
                }
                answers[l][j] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            }
        }
        return answers;
    }

    private static double[] latencies(Http http, String path, List<String> bodies, int count) {
        double[] millis = new double[count];
        for (int k = 0; k < count; k++) {
            long start = System.nanoTime();
            HttpResponse<String> response = bodies == null ? http.get(path)
                    : http.send("POST", path, "application/json", bodies.get(k % bodies.size()));
            millis[k] = (System.nanoTime() - start) / 1e6;
            assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        }
        return millis;
    }

    private static double[] concurrent(Http http, String path, List<String> bodies, int clients, int each)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<double[]>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                runs.add(pool.submit(() -> latencies(http, path, bodies, each)));
            }
            double[] all = new double[0];
            for (Future<double[]> run : runs) {
                double[] part = run.get();
                int old = all.length;
                all = Arrays.copyOf(all, old + part.length);
                System.arraycopy(part, 0, all, old, part.length);
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
