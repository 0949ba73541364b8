package dev.itembank.benchmarks;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.itembank.support.BenchmarkReport;
import dev.itembank.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upload, download and storage of a 400 x 28,659 binary matrix (the Open LLM Leaderboard matrix behind
 * tinyBenchmarks), generated from a 2PL model so that its rows look like real results. Run with
 * {@code ./mvnw -Pbenchmark verify}.
 */
@Tag("benchmark")
@IntegrationTest
class UploadBenchmark {

    static final int MODELS = 400;
    static final int ITEMS = 28_659;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void uploadDownloadAndStoreTheOpenLlmLeaderboardSizedMatrix() {
        BenchmarkApi api = new BenchmarkApi(port);
        byte[] csv = simulatedCsv(new SplittableRandom(42)).getBytes(StandardCharsets.UTF_8);

        String warmup = api.create("warmup");
        upload(api, warmup, csv);
        api.matrix(warmup, 1);

        // baseline in the same process and equally warm: parsing alone, no HTTP and no database
        long parseStart = System.nanoTime();
        ResultsUpload parsed = CsvResultsParser.parse(new StringReader(new String(csv, StandardCharsets.UTF_8)));
        double parseSeconds = seconds(parseStart);
        assertThat(parsed.models).hasSize(MODELS);

        String name = api.create("open-llm");
        long[] beforeEach = tableBytes();
        long before = tablesBytes();
        long uploadStart = System.nanoTime();
        upload(api, name, csv);
        double uploadSeconds = seconds(uploadStart);
        long stored = tablesBytes() - before;
        long[] afterEach = tableBytes();

        long downloadStart = System.nanoTime();
        String downloaded = api.matrix(name, 1);
        double downloadSeconds = seconds(downloadStart);
        assertThat(downloaded.length()).isEqualTo(csv.length);

        long cellBytes = jdbc.queryForObject("""
                select sum(pg_column_size(present) + pg_column_size(cells)) from model_row r
                join benchmark b on b.id = r.benchmark_id where b.name = ?""", Long.class, name);
        double csvMb = csv.length / 1e6;
        new BenchmarkReport("uploads", "Uploads: 400 x 28,659 binary matrix (" + String.format("%.1f", csvMb)
                + " MB of CSV)")
                .row("upload and commit (POST, parse, store, new version)", String.format("%.2f s", uploadSeconds),
                        "<= 10 s", BenchmarkReport.within(uploadSeconds, 10))
                .row("download (streamed wide CSV)", String.format("%.2f s", downloadSeconds), "<= 5 s",
                        BenchmarkReport.within(downloadSeconds, 5))
                .row("stored in PostgreSQL (growth of the tables, indexes and TOAST)",
                        String.format("%.2f MB", stored / 1e6), "<= 4 MB", BenchmarkReport.within(stored / 1e6, 4))
                .row("of which the matrix: model_row and dataset_version", String.format("%.2f MB",
                        (afterEach[0] - beforeEach[0] + afterEach[1] - beforeEach[1]) / 1e6), "", "")
                .row("of which the item catalogue: item_block", String.format("%.2f MB",
                        (afterEach[2] - beforeEach[2]) / 1e6), "", "")
                .row("packed cells alone (pg_column_size)", String.format("%.2f MB", cellBytes / 1e6), "", "")
                .row("baseline: parsing the CSV alone, in process", String.format("%.2f s", parseSeconds), "",
                        String.format("upload takes %.1fx the parse", uploadSeconds / parseSeconds))
                .row("compression against the CSV", String.format("%.1fx", csv.length / (double) stored), "", "")
                .note("Second upload in a warm JVM (a first one warms the JIT); wall time over loopback HTTP.")
                .write();
    }

    private static void upload(BenchmarkApi api, String name, byte[] csv) {
        HttpResponse<String> response = api.http.send(api.http.request("/api/v1/benchmarks/" + name + "/results")
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(csv)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private long[] tableBytes() {
        return jdbc.queryForList("""
                select pg_total_relation_size(t) from unnest(array['model_row', 'dataset_version', 'item_block']::regclass[])
                    with ordinality as x(t, n) order by n""", Long.class).stream().mapToLong(Long::longValue).toArray();
    }

    private long tablesBytes() {
        return jdbc.queryForObject("""
                select sum(pg_total_relation_size(t)) from unnest(array['model_row', 'dataset_version', 'item_block',
                    'benchmark']::regclass[]) t""", Long.class);
    }

    /** 2PL responses: P(correct) = sigmoid(a * (theta - b)). */
    static String simulatedCsv(SplittableRandom random) {
        double[] a = new double[ITEMS];
        double[] b = new double[ITEMS];
        StringBuilder csv = new StringBuilder(MODELS * ITEMS * 2 + ITEMS * 12).append("model");
        for (int i = 0; i < ITEMS; i++) {
            a[i] = 0.5 + 1.5 * random.nextDouble();
            b[i] = random.nextGaussian();
            csv.append(",item_").append(i);
        }
        csv.append('\n');
        for (int m = 0; m < MODELS; m++) {
            double theta = random.nextGaussian();
            csv.append("org/model-").append(m);
            for (int i = 0; i < ITEMS; i++) {
                double p = 1 / (1 + Math.exp(-a[i] * (theta - b[i])));
                csv.append(random.nextDouble() < p ? ",1" : ",0");
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
