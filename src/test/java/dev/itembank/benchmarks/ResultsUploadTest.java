package dev.itembank.benchmarks;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@IntegrationTest
class ResultsUploadTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Datasets datasets;
    BenchmarkApi api;

    @BeforeEach
    void client() {
        api = new BenchmarkApi(port);
    }

    @Test
    void wideCsvOfTheWmdpFixtureRoundTripsCellForCell() {
        String name = api.create("wmdp");
        String csv = Fixtures.wmdpSlice(0, 64, 3260);
        JsonNode version = api.uploadOk(name, "text/csv", csv);
        assertThat(version.path("version").asInt()).isEqualTo(1);
        assertThat(version.path("models").asInt()).isEqualTo(64);
        assertThat(version.path("items").asInt()).isEqualTo(3260);
        assertThat(version.path("binary").asBoolean()).isTrue();
        assertThat(version.path("addedModels")).hasSize(64);

        assertThat(api.matrix(name, 1)).isEqualTo(csv);
        assertThat(api.matrix(name, "latest")).isEqualTo(csv);
    }

    @Test
    void storedVersionsLoadAsResponseMatricesCellForCell() {
        String name = api.create("dataset");
        String csv = Fixtures.wmdpSlice(0, 20, 500);
        api.uploadOk(name, "text/csv", csv);
        api.uploadOk(name, "text/csv", "model,wmdp_cyber_3,extra_1\nnewcomer,1,0\nmicrosoft/Phi-3-medium-4k-instruct,0,\n");
        assertMatrixEquals(datasets.load(name, 1), BenchmarkApi.cells(csv));
        Dataset second = datasets.load(name, datasets.resolve(name, null));
        assertThat(second.version()).isEqualTo(2);
        assertMatrixEquals(second, BenchmarkApi.cells(api.matrix(name, 2)));
        assertThat(second.scenarios()).containsOnly(name);

        String reordered = api.create("reordered");
        api.http.send("PUT", "/api/v1/benchmarks/" + reordered + "/items", "text/csv", "item_id,scenario\nb,s\na,t\n");
        api.uploadOk(reordered, "text/csv", "model,a,b\nm1,1,0\nm2,,1\n");
        Dataset gathered = datasets.load(reordered, 1);
        assertThat(gathered.itemIds()).containsExactly("a", "b");
        assertThat(gathered.scenarios()).containsExactly("t", "s");
        assertMatrixEquals(gathered, BenchmarkApi.cells("model,a,b\nm1,1,0\nm2,,1\n"));
    }

    private static void assertMatrixEquals(Dataset dataset, List<String[]> csv) {
        assertThat(dataset.itemIds()).containsExactly(java.util.Arrays.copyOfRange(csv.get(0), 1, csv.get(0).length));
        assertThat(dataset.matrix().models()).isEqualTo(csv.size() - 1);
        for (int r = 1; r < csv.size(); r++) {
            assertThat(dataset.models().get(r - 1)).isEqualTo(csv.get(r)[0]);
            for (int c = 1; c < csv.get(r).length; c++) {
                String cell = csv.get(r)[c];
                double value = dataset.matrix().get(r - 1, c - 1);
                if (cell.isEmpty()) {
                    assertThat(value).isNaN();
                } else {
                    assertThat(value).isEqualTo(Double.parseDouble(cell));
                }
            }
        }
    }

    @Test
    void columnsKeepTheUploadedOrderWhenItemsWereDeclaredInAnotherOrder() {
        String name = api.create("order");
        api.http.send("PUT", "/api/v1/benchmarks/" + name + "/items", "text/csv",
                "item_id,scenario\na,s1\nb,s1\nc,s2\n");
        String csv = "model,c,a,b\nm1,1,0,1\n";
        api.uploadOk(name, "text/csv", csv);
        assertThat(api.matrix(name, 1)).isEqualTo(csv);
        api.uploadOk(name, "text/csv", "model,d,a\nm2,1,1\n");
        assertThat(api.matrix(name, 2)).isEqualTo("model,c,a,b,d\nm1,1,0,1,\nm2,,1,,1\n");
    }

    @Test
    void versionSummaryReportsEachModelsMeanAndTheItemsPerScenario() {
        String name = api.create("summary");
        List<String[]> rows = BenchmarkApi.cells(Fixtures.wmdpSlice(0, 5, 3260));
        api.uploadOk(name, "text/csv", Fixtures.wmdpSlice(0, 5, 3260));
        api.http.send("PUT", "/api/v1/benchmarks/" + name + "/items", "text/csv", Fixtures.text("wmdp/items.csv"));
        JsonNode summary = api.version(name, "latest");
        assertThat(summary.path("version").asInt()).as("declaring scenarios made version 2").isEqualTo(2);
        assertThat(summary.path("scenarios").path("wmdp_cyber").asInt()).isEqualTo(1987);
        assertThat(summary.path("scenarios").path("wmdp_bio").asInt()).isEqualTo(1273);
        assertThat(summary.path("contentHash").asString()).startsWith("sha256:");
        for (int m = 0; m < 5; m++) {
            String[] row = rows.get(m + 1);
            double sum = 0;
            for (int c = 1; c < row.length; c++) {
                sum += Double.parseDouble(row[c]);
            }
            JsonNode score = summary.path("modelScores").get(m);
            assertThat(score.path("model").asString()).isEqualTo(row[0]);
            assertThat(score.path("answered").asInt()).isEqualTo(3260);
            assertThat(score.path("meanScore").asDouble()).isCloseTo(sum / 3260, within(1e-12));
        }
        JsonNode first = api.version(name, 1);
        assertThat(first.path("scenarios").path(name).asInt()).as("version 1 keeps its grouping").isEqualTo(3260);
    }

    @Test
    void everyBodyFormatOfTheSameResultsMakesTheSameDataset() {
        List<String[]> rows = BenchmarkApi.cells(Fixtures.wmdpSlice(0, 6, 40));
        String wide = Fixtures.wmdpSlice(0, 6, 40);
        StringBuilder longCsv = new StringBuilder("model,item_id,score\n");
        StringBuilder json = new StringBuilder("{\"models\":[");
        for (int m = 1; m < rows.size(); m++) {
            json.append(m > 1 ? "," : "").append("{\"model\":\"").append(rows.get(m)[0]).append("\",\"responses\":{");
            for (int c = 1; c < rows.get(0).length; c++) {
                longCsv.append(rows.get(m)[0]).append(',').append(rows.get(0)[c]).append(',').append(rows.get(m)[c])
                        .append('\n');
                json.append(c > 1 ? "," : "").append('"').append(rows.get(0)[c]).append("\":").append(rows.get(m)[c]);
            }
            json.append("}}");
        }
        json.append("]}");

        List<String> hashes = new ArrayList<>();
        hashes.add(api.uploadOk(withItems("wide"), "text/csv", wide).path("contentHash").asString());
        hashes.add(api.uploadOk(withItems("long"), "text/csv", longCsv.toString()).path("contentHash").asString());
        hashes.add(api.uploadOk(withItems("json"), "application/json", json.toString()).path("contentHash").asString());
        HttpResponse<String> gzip = api.uploadGzip(withItems("gzip"), "text/csv", wide);
        assertThat(gzip.statusCode()).as(gzip.body()).isEqualTo(201);
        hashes.add(Http.json(gzip).path("contentHash").asString());
        HttpResponse<String> gzipJson = api.uploadGzip(withItems("gzipjson"), "application/json", json.toString());
        hashes.add(Http.json(gzipJson).path("contentHash").asString());
        assertThat(hashes).hasSize(5).allMatch(hash -> hash.equals(hashes.get(0)));
    }

    /** A benchmark whose items are declared up front, so that its name does not become their scenario. */
    private String withItems(String prefix) {
        String name = api.create(prefix);
        HttpResponse<String> items = api.http.send("PUT", "/api/v1/benchmarks/" + name + "/items", "text/csv",
                Fixtures.text("wmdp/items.csv"));
        assertThat(items.statusCode()).as(items.body()).isEqualTo(200);
        return name;
    }

    @Test
    void harnessSamplesBecomeTaskSlashDocIdItems() {
        String name = api.create("harness");
        String samples = """
                {"doc_id": 0, "filter": "none", "acc": 1.0, "resps": [["x"]]}
                {"doc_id": 1, "filter": "none", "acc": 0.0}
                {"doc_id": 2, "filter": "none", "acc": 1.0, "acc_norm": 0.0}
                """;
        HttpResponse<String> response = api.http.send("POST", "/api/v1/benchmarks/" + name
                + "/results?model=org/my-model&task=arc_easy", "application/x-ndjson", samples);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(api.matrix(name, 1)).isEqualTo("model,arc_easy/0,arc_easy/1,arc_easy/2\norg/my-model,1,0,1\n");

        HttpResponse<String> byNorm = api.http.send("POST", "/api/v1/benchmarks/" + name
                + "/results?model=org/other&task=arc_easy&metric=acc_norm", "application/x-ndjson",
                "{\"doc_id\": 2, \"acc_norm\": 0.0}\n");
        assertThat(byNorm.statusCode()).as(byNorm.body()).isEqualTo(201);
        assertThat(api.matrix(name, 2)).isEqualTo(
                "model,arc_easy/0,arc_easy/1,arc_easy/2\norg/my-model,1,0,1\norg/other,,,0\n");
    }

    @Test
    void harnessSamplesWithSeveralFiltersKeepTheChosenOne() {
        String name = api.create("filters");
        String samples = """
                {"doc_id": 0, "filter": "strict-match", "exact_match": 0.0}
                {"doc_id": 0, "filter": "flexible-extract", "exact_match": 1.0}
                """;
        String path = "/api/v1/benchmarks/" + name + "/results?model=m&task=gsm8k&metric=exact_match";
        HttpResponse<String> ambiguous = api.http.send("POST", path, "application/x-ndjson", samples);
        assertThat(ambiguous.statusCode()).isEqualTo(422);
        assertThat(Http.json(ambiguous).path("detail").asString()).contains("filter");
        HttpResponse<String> chosen = api.http.send("POST", path + "&filter=flexible-extract", "application/x-ndjson",
                samples);
        assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(201);
        assertThat(api.matrix(name, 1)).isEqualTo("model,gsm8k/0\nm,1\n");
    }

    @Test
    void newVersionsShareUnchangedRowsAndOldVersionsNeverChange() throws java.sql.SQLException {
        String name = api.create("cow");
        String first = "model,q1,q2,q3\nalpha,1,0,1\nbeta,0,0,1\n";
        api.uploadOk(name, "text/csv", first);
        JsonNode second = api.uploadOk(name, "text/csv", "model,q3,q4\nbeta,1,1\ngamma,0,\n");
        assertThat(second.path("version").asInt()).isEqualTo(2);
        assertThat(second.path("replacedModels").toString()).contains("beta");
        assertThat(second.path("addedModels").toString()).contains("gamma").doesNotContain("beta");

        assertThat(api.matrix(name, 1)).isEqualTo(first);
        // beta's row merged per cell: q1 and q2 kept, q3 re-run (replaced), q4 added
        assertThat(second.path("cells").path("added").asLong()).isEqualTo(1 + 1); // beta's q4, gamma's q3
        assertThat(second.path("cells").path("replaced").asLong()).isEqualTo(1);
        assertThat(api.matrix(name, 2)).isEqualTo("model,q1,q2,q3,q4\nalpha,1,0,1,\nbeta,0,0,1,1\ngamma,,,0,\n");

        Long benchmarkId = jdbc.queryForObject("select id from benchmark where name = ?", Long.class, name);
        assertThat(jdbc.queryForObject("select count(*) from model_row where benchmark_id = ?", Integer.class,
                benchmarkId)).as("alpha's row is shared, not copied").isEqualTo(4);
        Long[] v1 = (Long[]) jdbc.queryForObject("select row_ids from dataset_version where benchmark_id = ? and "
                + "version = 1", java.sql.Array.class, benchmarkId).getArray();
        Long[] v2 = (Long[]) jdbc.queryForObject("select row_ids from dataset_version where benchmark_id = ? and "
                + "version = 2", java.sql.Array.class, benchmarkId).getArray();
        assertThat(v2[0]).isEqualTo(v1[0]);
        assertThat(v2[1]).isNotEqualTo(v1[1]);
    }

    @Test
    void continuousScoresRoundTripToTheirDecimalsAndMissingCellsStayMissing() {
        String name = api.create("alpaca");
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("model");
        for (int c = 0; c < 200; c++) {
            csv.append(",alpaca_").append(c);
        }
        csv.append('\n');
        for (int m = 0; m < 12; m++) {
            csv.append("model-").append(m);
            for (int c = 0; c < 200; c++) {
                csv.append(',');
                if (random.nextInt(10) > 0) {
                    // six decimals, as AlpacaEval 2.0 publishes its win probabilities
                    String cell = new java.math.BigDecimal(random.nextInt(1_000_001)).movePointLeft(6)
                            .stripTrailingZeros().toPlainString();
                    csv.append(cell);
                }
            }
            csv.append('\n');
        }
        JsonNode version = api.uploadOk(name, "text/csv", csv.toString());
        assertThat(version.path("binary").asBoolean()).isFalse();
        List<String[]> sent = BenchmarkApi.cells(csv.toString());
        List<String[]> got = BenchmarkApi.cells(api.matrix(name, 1));
        assertThat(got).hasSameSizeAs(sent);
        for (int r = 1; r < sent.size(); r++) {
            for (int c = 1; c < sent.get(r).length; c++) {
                String expected = sent.get(r)[c];
                String actual = got.get(r)[c];
                if (expected.isEmpty()) {
                    assertThat(actual).isEmpty();
                } else {
                    assertThat(new java.math.BigDecimal(actual)).as("row %d, column %d", r, c)
                            .isEqualByComparingTo(new java.math.BigDecimal(expected));
                }
            }
        }
    }

    @Test
    void formulaLikeTextIsStoredAsTextAndDownloadedBehindAQuote() {
        String name = api.create("formula");
        String csv = "model,\"=1+1\",@SUM(A1)\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1,0\n+cmd,0,1\n";
        api.uploadOk(name, "text/csv", csv);
        assertThat(api.matrix(name, 1)).isEqualTo("model,'=1+1,'@SUM(A1)\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1,0\n"
                + "'+cmd,0,1\n");
        JsonNode summary = api.version(name, 1);
        assertThat(summary.path("modelScores").get(0).path("model").asString()).isEqualTo("=HYPERLINK(\"http://x\",\"y\")");
    }

    @Test
    void concurrentUploadsToOneBenchmarkMakeConsecutiveVersionsAndLoseNothing() throws Exception {
        String name = api.create("concurrent");
        int uploads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(uploads);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int u = 0; u < uploads; u++) {
                String body = "model,i1,i2\nmodel-" + u + ",1,0\n";
                tasks.add(() -> api.uploadOk(name, "text/csv", body).path("version").asInt());
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<Integer> future : pool.invokeAll(tasks)) {
                versions.add(future.get());
            }
            assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
        } finally {
            pool.shutdownNow();
        }
        JsonNode latest = api.version(name, "latest");
        assertThat(latest.path("version").asInt()).isEqualTo(uploads);
        assertThat(latest.path("models").asInt()).isEqualTo(uploads);
    }

    @Test
    void modelMetadataIsKeptWithReportedScores() {
        String name = api.create("models");
        HttpResponse<String> response = api.http.send("PUT", "/api/v1/benchmarks/" + name + "/models", "text/csv",
                "model,released,parameters,family,score:wmdp_bio,license\nm1,2024-06-01,7B,llama,0.61,mit\n"
                        + "m2,2024-07-15,8000000000,,,apache\n");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.json(response).path("added").asInt()).isEqualTo(2);
        JsonNode models = Http.json(api.http.get("/api/v1/benchmarks/" + name + "/models"));
        assertThat(models.get(0).path("released").asString()).isEqualTo("2024-06-01");
        assertThat(models.get(0).path("parameters").asDouble()).isEqualTo(7e9);
        assertThat(models.get(0).path("scores").path("wmdp_bio").asDouble()).isEqualTo(0.61);
        assertThat(models.get(0).path("metadata").path("license").asString()).isEqualTo("mit");
        assertThat(models.get(1).path("parameters").asDouble()).isEqualTo(8e9);

        HttpResponse<String> bad = api.http.send("PUT", "/api/v1/benchmarks/" + name + "/models", "text/csv",
                "model,released\nm3,last tuesday\n");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(Http.json(bad).path("line").asInt()).isEqualTo(2);
        assertThat(Http.json(api.http.get("/api/v1/benchmarks/" + name + "/models"))).hasSize(2);
    }

    @Test
    void versionsAreImmutableResourcesWithETags() {
        String name = api.create("etag");
        api.uploadOk(name, "text/csv", "model,a\nm,1\n");
        HttpResponse<String> numbered = api.http.get("/api/v1/benchmarks/" + name + "/versions/1");
        assertThat(numbered.headers().firstValue("ETag")).hasValueSatisfying(tag -> assertThat(tag).contains("sha256:"));
        assertThat(numbered.headers().firstValue("Cache-Control")).hasValueSatisfying(
                value -> assertThat(value).contains("immutable"));
        HttpResponse<String> latest = api.http.get("/api/v1/benchmarks/" + name + "/versions/latest");
        assertThat(latest.headers().firstValue("Cache-Control")).hasValueSatisfying(
                value -> assertThat(value).doesNotContain("immutable"));
        JsonNode list = Http.json(api.http.get("/api/v1/benchmarks/" + name + "/versions"));
        assertThat(list).hasSize(1);
        HttpResponse<String> items = api.http.send(api.http.request("/api/v1/benchmarks/" + name + "/versions/1/items")
                .header("Accept", "text/csv").GET().build());
        assertThat(items.body()).isEqualTo("item_id,scenario,subscenario\na," + name + ",\n");
    }
}
