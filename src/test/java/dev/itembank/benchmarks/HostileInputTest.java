package dev.itembank.benchmarks;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
import dev.itembank.support.JobWaiter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reproductions of the hostile tester's report (issue 12), each answered as the issue asks: bodies that lose
 * models, corrupt or cut-off gzip, bytes that are not UTF-8, overlong lines, numbers that overflow, races on a
 * name, settings that cannot run, budgets that cannot fit. Each of them was a 201 that lost data or a 500 before.
 */
@IntegrationTest
class HostileInputTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    BenchmarkApi api;

    @BeforeEach
    void client() {
        api = new BenchmarkApi(port);
    }

    @Test
    void aModelsArrayWithAnElementThatIsNotAModelIsRefusedWhole() {
        String name = api.create("elements");
        for (String odd : List.of("null", "42", "\"m\"", "[]")) {
            HttpResponse<String> response = api.upload(name, "application/json", "{\"models\":[{\"model\":\"a\","
                    + "\"responses\":{\"i1\":1}}, " + odd + ", {\"model\":\"b\",\"responses\":{\"i1\":0}}]}");
            assertThat(response.statusCode()).as(odd).isEqualTo(422);
            assertThat(Http.json(response).path("detail").asString()).contains("element 1 of 'models'");
        }
        HttpResponse<String> trailing = api.upload(name, "application/json",
                "{\"models\":[{\"model\":\"a\",\"responses\":{\"i1\":1}}]} {\"x\":1}");
        assertThat(trailing.statusCode()).isEqualTo(422);
        assertThat(Http.json(api.http.get("/api/v1/benchmarks/" + name)).path("latestVersion").asInt()).isZero();
    }

    @Test
    void gzipThatIsCorruptCutOffOrEmptyIsA400AndWritesNothing() {
        String name = api.create("gzip");
        String json = "{\"models\":[{\"model\":\"a\",\"responses\":{\"i1\":1,\"i2\":0}}]}";
        byte[] good = BenchmarkApi.gzip(json);
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 8] ^= 0x5a; // the CRC-32 of the trailer
        byte[] cutTrailer = Arrays.copyOf(good, good.length - 6);
        List<byte[]> bodies = new ArrayList<>(List.of(badCrc, cutTrailer, new byte[0], Arrays.copyOf(good, 2),
                Arrays.copyOf(good, 5)));
        for (byte[] body : bodies) {
            HttpResponse<String> response = gzipPost("/api/v1/benchmarks/" + name + "/results", "application/json",
                    body);
            assertThat(response.statusCode()).as(body.length + " bytes: " + response.body()).isEqualTo(400);
            assertThat(Http.json(response).path("detail").asString()).contains("gzip");
        }
        byte[] samples = BenchmarkApi.gzip("{\"doc_id\":0,\"acc\":1}\n{\"doc_id\":1,\"acc\":0}\n");
        HttpResponse<String> truncated = gzipPost("/api/v1/benchmarks/" + name + "/results?model=m&task=t",
                "application/x-ndjson", Arrays.copyOf(samples, samples.length - 10));
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(Http.json(api.http.get("/api/v1/benchmarks/" + name)).path("latestVersion").asInt()).isZero();
        assertThat(gzipPost("/api/v1/benchmarks/" + name + "/results", "application/json", good).statusCode())
                .isEqualTo(201);
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithLineAndColumn() {
        String name = api.create("utf8");
        byte[] csv = "model,i1,i2\nok,1,0\nbad\u00ff,1,1\n".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> response = api.http.send(api.http.request("/api/v1/benchmarks/" + name + "/results")
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(csv)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode problem = Http.json(response);
        assertThat(problem.path("line").asInt()).isEqualTo(3);
        assertThat(problem.path("column").asInt()).isEqualTo(4);
        assertThat(problem.path("detail").asString()).contains("UTF-8");
    }

    @Test
    void aSampleLineLongerThanTheLimitIsA413BeforeItIsHeld() {
        String name = api.create("longline");
        String line = "{\"doc_id\":0,\"acc\":1,\"resps\":\"" + "a".repeat(UploadBody.MAX_TEXT_CHARS + 10) + "\"}\n";
        HttpResponse<String> response = gzipPost("/api/v1/benchmarks/" + name + "/results?model=m&task=t",
                "application/x-ndjson", BenchmarkApi.gzip(line));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(Http.json(response).path("detail").asString()).contains("line 1");
        HttpResponse<String> json = gzipPost("/api/v1/benchmarks/" + name + "/results", "application/json",
                BenchmarkApi.gzip("{\"models\":[{\"model\":\"" + "m".repeat(UploadBody.MAX_TEXT_CHARS + 10)
                        + "\",\"responses\":{\"i\":1}}]}"));
        assertThat(json.statusCode()).as(json.body()).isEqualTo(413);
        // a gzip bomb of one endless CSV cell: a 413 (it was a 422 "could not be read")
        HttpResponse<String> bomb = gzipPost("/api/v1/benchmarks/" + name + "/results", "text/csv",
                BenchmarkApi.gzip("model,q1\nm," + "0".repeat(UploadBody.MAX_TEXT_CHARS + 10) + "\n"));
        assertThat(bomb.statusCode()).as(bomb.body()).isEqualTo(413);
    }

    @Test
    void concurrentCreationOfOneNameGivesOne201AndOnly409s() throws Exception {
        String name = "race-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> new Http(port).send("POST", "/api/v1/benchmarks", "application/json",
                        "{\"name\":\"" + name + "\"}").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(calls)) {
                statuses.add(status.get());
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reservedAndDottedBenchmarkNamesAreRefused() {
        for (String bad : List.of("latest", "recommended", "a.", "a..b", ".a", "-a")) {
            HttpResponse<String> response = api.http.send("POST", "/api/v1/benchmarks", "application/json",
                    "{\"name\":\"" + bad + "\"}");
            assertThat(response.statusCode()).as(bad).isEqualTo(422);
        }
    }

    @Test
    void queryParametersOutOfRangeAre422NamingThem() {
        for (String limit : List.of("0", "100000")) {
            HttpResponse<String> response = api.http.get("/api/v1/jobs?limit=" + limit);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
            assertThat(Http.json(response).path("detail").asString()).contains("limit");
        }
    }

    /** A percent-encoded query value that is not UTF-8 was a 500 on every endpoint with query parameters. */
    @Test
    void queryStringsThatAreNotUtf8Are400NamingTheParameter() {
        String name = api.create("undecodable");
        for (String path : List.of("/api/v1/jobs?state=%FF%FE", "/api/v1/jobs?state=queued&limit=%C3%28",
                "/api/v1/benchmarks/" + name + "/budget?targetError=%FF", "/api/v1/benchmarks/" + name
                        + "/subsets/recommended?itemsPerScenario=%FE")) {
            HttpResponse<String> response = api.http.get(path);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(Http.contentType(response)).isEqualTo("application/problem+json");
            JsonNode problem = Http.json(response);
            assertThat(problem.path("type").asString()).endsWith("/malformed-request");
            String parameter = path.substring(path.lastIndexOf(path.contains("&") ? '&' : '?') + 1,
                    path.lastIndexOf('='));
            assertThat(problem.path("parameter").asString()).as(path).isEqualTo(parameter);
            assertThat(problem.path("detail").asString()).contains("'" + parameter + "'", "UTF-8");
        }
        HttpResponse<String> upload = api.http.send("POST", "/api/v1/benchmarks/" + name + "/results?mode=%FF",
                "text/csv", "model,i1\na,1\n");
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(400);
        assertThat(Http.json(api.http.get("/api/v1/benchmarks/" + name)).path("latestVersion").asInt()).isZero();
    }

    /**
     * What Tomcat or the firewall refuse before any controller is a problem too, saying what was refused: an unknown
     * method was a 400 about the path's normal form, headers over Tomcat's limit and a path that is not UTF-8
     * Tomcat's HTML page.
     */
    @Test
    void requestsRefusedBeforeTheApiAreProblemsSayingWhatWasRefused() throws Exception {
        HttpResponse<String> method = api.http.send(api.http.request("/api/v1/me")
                .method("FOO", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(Http.contentType(method)).isEqualTo("application/problem+json");
        assertThat(Http.json(method).path("detail").asString()).contains("method");
        assertThat(method.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET"));

        HttpResponse<String> header = api.http.send(api.http.request("/api/v1/me").header("X-Big", "x".repeat(20_000))
                .GET().build());
        assertThat(header.statusCode()).isEqualTo(400);
        assertThat(Http.contentType(header)).startsWith("application/problem+json");
        assertThat(Http.json(header).path("detail").asString()).contains("headers are malformed or too large");

        HttpResponse<String> path = api.http.get("/api/v1/benchmarks/%C3%28");
        assertThat(path.statusCode()).isEqualTo(400);
        assertThat(Http.json(path).path("type").asString()).endsWith("/malformed-request");

        // a control character in a header: Tomcat refuses it itself
        assertThat(rawGetOfMe("X-Odd: a\u0001b")).startsWith("HTTP/1.1 400")
                .containsIgnoringCase("content-type: application/problem+json");
        // a C1 control character (byte 0x85) in the header the service reads: Tomcat takes it as obs-text, the
        // firewall refuses it when the key filter reads it
        assertThat(rawGetOfMe("Authorization: Bearer a\u0085b")).startsWith("HTTP/1.1 400")
                .contains("A header name or value holds characters");
    }

    /** GET /api/v1/me with one more header line, written byte for byte (HttpClient refuses such headers). */
    private String rawGetOfMe(String header) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\n" + header
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** A null element in a list of names was a NullPointerException (500) in calibrations and sessions. */
    @Test
    void aNullOrBlankNameInAListIsA422NamingTheElement() {
        String name = api.create("null-names");
        api.uploadOk(name, "text/csv", Fixtures.wmdpSlice(0, 8, 20));
        HttpResponse<String> calibration = api.http.send("POST", "/api/v1/benchmarks/" + name + "/calibrations",
                "application/json", "{\"heldOutModels\": [\"x\", null]}");
        assertThat(calibration.statusCode()).as(calibration.body()).isEqualTo(422);
        assertThat(Http.json(calibration).path("field").asString()).isEqualTo("heldOutModels[1]");
        assertThat(Http.json(api.http.get("/api/v1/jobs?benchmark=" + name)).size()).as("no calibration job queued")
                .isZero();
        for (Map.Entry<String, String> body : Map.of("scenarios[0]", "{\"model\": \"m\", \"scenarios\": [null]}",
                "exclude[1]", "{\"model\": \"m\", \"exclude\": [\"i1\", \" \"]}").entrySet()) {
            HttpResponse<String> session = api.http.send("POST", "/api/v1/calibrations/"
                    + java.util.UUID.randomUUID() + "/sessions", "application/json", body.getValue());
            assertThat(session.statusCode()).as(session.body()).isEqualTo(422);
            assertThat(Http.json(session).path("field").asString()).isEqualTo(body.getKey());
        }
    }

    @Test
    void unreadableBodiesAreDescribedWithoutJavaTypesOrJacksonSettings() {
        String name = api.create("types");
        for (String body : List.of("{\"forms\":\"x\"}", "{\"itemsPerScenario\":[1]}", "{\"seed\":{}}", "[]")) {
            HttpResponse<String> response = api.http.send("POST", "/api/v1/benchmarks/" + name + "/subsets",
                    "application/json", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(Http.json(response).path("detail").asString()).as(body).doesNotContain("dev.itembank",
                    "SubsetSpec", "$", "java.", "Feature", "CoercionConfig", "`");
        }
    }

    @Test
    void anIdenticalUploadAnswersWithTheExistingVersion() {
        String name = api.create("same");
        String csv = Fixtures.wmdpSlice(0, 6, 12);
        assertThat(api.uploadOk(name, "text/csv", csv).path("version").asInt()).isEqualTo(1);
        HttpResponse<String> again = api.upload(name, "text/csv", csv);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Http.json(again).path("version").asInt()).isEqualTo(1);
        assertThat(Http.json(api.http.get("/api/v1/benchmarks/" + name)).path("latestVersion").asInt()).isEqualTo(1);
    }

    @Test
    void formulaLikeTextIsEscapedInDownloadsAndUploadsBackUnchanged() {
        String name = api.create("formula");
        // an upload may carry the escape itself: ''-quoted is the name '-quoted, escaped
        api.uploadOk(name, "text/csv", "model,=HYPERLINK(\"http://x\"),i2\n=cmd|' /C calc'!A0,1,0\n''-quoted,0,1\n");
        String matrix = api.matrix(name, 1);
        assertThat(matrix).contains("\"'=HYPERLINK(\"\"http://x\"\")\"", "'=cmd|' /C calc'!A0", "''-quoted")
                .doesNotContain(",=HYPERLINK", "\n=cmd");
        HttpResponse<String> roundTrip = api.upload(name, "text/csv", matrix);
        assertThat(roundTrip.statusCode()).as("the download uploads back as the same version").isEqualTo(200);
        assertThat(api.version(name, 1).path("modelScores").valueStream().map(m -> m.path("model").asString()))
                .contains("=cmd|' /C calc'!A0", "'-quoted");
    }

    @Test
    void calibrationNumbersThatOverflowAre422NamingTheField() {
        String name = api.create("overflow");
        api.uploadOk(name, "text/csv", Fixtures.wmdpSlice(0, 8, 20));
        for (Map.Entry<String, String> body : Map.of("dimensions", "{\"dimensions\": 4294967301}",
                "version", "{\"version\": 4294967297}").entrySet()) {
            HttpResponse<String> response = api.http.send("POST", "/api/v1/benchmarks/" + name + "/calibrations",
                    "application/json", body.getValue());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
            assertThat(Http.json(response).path("field").asString()).isEqualTo(body.getKey());
        }
        HttpResponse<String> none = api.http.send("POST", "/api/v1/benchmarks/" + name + "/subsets",
                "application/json", null);
        assertThat(none.statusCode()).as("a subset request needs a body").isEqualTo(400);
    }

    @Test
    void autoRefreshThatCannotRunIsRefusedAndNeverBreaksAnUpload() {
        String name = api.create("refresh");
        api.uploadOk(name, "text/csv", Fixtures.wmdpSlice(0, 3, 10));
        HttpResponse<String> tooFew = api.http.send("PUT", "/api/v1/benchmarks/" + name + "/auto-refresh",
                "application/json", "{\"calibration\":{\"model\":\"2pl\"}}");
        assertThat(tooFew.statusCode()).as(tooFew.body()).isEqualTo(422);
        HttpResponse<String> absurd = api.http.send("PUT", "/api/v1/benchmarks/" + name + "/auto-refresh",
                "application/json", "{\"calibration\":{\"dimensions\":4294967301}}");
        assertThat(absurd.statusCode()).isEqualTo(422);
        // settings stored before this check existed, which cannot run on the data: uploads still land
        long id = jdbc.queryForObject("select id from benchmark where name = ?", Long.class, name);
        jdbc.update("insert into auto_refresh (benchmark_id, calibration, subset) values (?, ?::jsonb, '{}'::jsonb)",
                id, "{\"model\":\"2pl\",\"heldOutModels\":[\"nobody\"]}");
        HttpResponse<String> upload = api.upload(name, "text/csv", Fixtures.wmdpSlice(3, 6, 10));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        assertThat(Http.json(upload).path("version").asInt()).isEqualTo(2);
    }

    @Test
    void formsThatCannotEachGetTheirBudgetAre422SayingWhatFitsAndEstimateBodiesAreChecked() {
        String name = api.create("forms");
        api.uploadOk(name, "text/csv", Fixtures.wmdpSlice(0, 12, 30));
        HttpResponse<String> queued = api.http.send("POST", "/api/v1/benchmarks/" + name + "/calibrations",
                "application/json", "{\"model\":\"1pl\"}");
        assertThat(queued.statusCode()).isEqualTo(202);
        JobWaiter.succeeded(api.http, queued.headers().firstValue("Location").orElseThrow(), Duration.ofMinutes(2));
        HttpResponse<String> tooMany = api.http.send("POST", "/api/v1/benchmarks/" + name + "/subsets",
                "application/json", "{\"method\":\"random\",\"itemsPerScenario\":10,\"forms\":10}");
        assertThat(tooMany.statusCode()).as(tooMany.body()).isEqualTo(422);
        assertThat(Http.json(tooMany).path("formsThatFit").asInt()).isBetween(1, 3);
        HttpResponse<String> huge = api.http.send("POST", "/api/v1/benchmarks/" + name + "/subsets",
                "application/json", "{\"method\":\"random\",\"itemsPerScenario\":2147483647}");
        assertThat(huge.statusCode()).isEqualTo(422);
        assertThat(Http.json(huge).path("field").asString()).isEqualTo("itemsPerScenario");

        HttpResponse<String> fits = api.http.send("POST", "/api/v1/benchmarks/" + name + "/subsets",
                "application/json", "{\"method\":\"random\",\"itemsPerScenario\":5}");
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(202);
        String subset = JobWaiter.succeeded(api.http, fits.headers().firstValue("Location").orElseThrow(),
                Duration.ofMinutes(2)).path("result").asString();
        for (byte[] body : List.of(new byte[0], new byte[] {0x1f, (byte) 0x8b}, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0})) {
            HttpResponse<String> estimate = gzipPost(subset + "/estimates", "application/json", body);
            assertThat(estimate.statusCode()).as(estimate.body()).isEqualTo(400);
        }
        HttpResponse<String> longName = api.http.send("POST", subset + "/estimates", "application/json",
                "{\"model\":\"" + "m".repeat(ResultsUpload.MAX_NAME_LENGTH + 1) + "\",\"responses\":{}}");
        assertThat(longName.statusCode()).as(longName.body()).isEqualTo(422);
        assertThat(Http.json(longName).path("detail").asString()).contains("512");
    }

    private HttpResponse<String> gzipPost(String path, String contentType, byte[] body) {
        return api.http.send(api.http.request(path).header("Content-Type", contentType)
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
