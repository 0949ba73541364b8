package dev.itembank.properties;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IsolatedDatabase;
import dev.itembank.support.JobWaiter;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated bodies for the upload and estimate parsers, sent over HTTP to a real service on a real
 * PostgreSQL: the answer is always a success or a client error (never a 5xx), and a refused body writes nothing
 * (row counts are checked after each one).
 */
class MalformedBodiesPropertyTest {

    private static ConfigurableApplicationContext context;
    private static Http http;
    private static JdbcTemplate jdbc;
    private static String subsetPath;
    /** What the path values $subset, $calibration and $session stand for: live resources of this service. */
    private static final Map<String, String> LIVE = new java.util.LinkedHashMap<>();
    /** A body answering the session's first batch (then a 409: answered before). */
    private static String sessionAnswers;
    private static final List<Body> VALID_UPLOADS = new ArrayList<>();
    private static final List<Body> VALID_ESTIMATES = new ArrayList<>();

    record Body(String contentType, String text) {
    }

    @BeforeContainer
    static void startServiceWithASubset() {
        List<String> args = new ArrayList<>(IsolatedDatabase.arguments(IsolatedDatabase.create("fuzz")));
        args.add("--server.port=0");
        context = new SpringApplicationBuilder(ItembankApplication.class).run(args.toArray(String[]::new));
        http = new Http(((WebServerApplicationContext) context).getWebServer().getPort());
        jdbc = context.getBean(JdbcTemplate.class);
        http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"fuzz\"}");
        String csv = Fixtures.wmdpSlice(0, 30, 40);
        assertThat(http.send("POST", "/api/v1/benchmarks/fuzz/results", "text/csv", csv).statusCode()).isEqualTo(201);
        String job = http.send("POST", "/api/v1/benchmarks/fuzz/calibrations", "application/json",
                "{\"model\":\"2pl\"}").headers().firstValue("Location").orElseThrow();
        JobWaiter.succeeded(http, job, Duration.ofMinutes(2));
        job = http.send("POST", "/api/v1/benchmarks/fuzz/subsets", "application/json",
                "{\"method\":\"random\",\"itemsPerScenario\":10,\"nestedIntervals\":false}").headers()
                .firstValue("Location").orElseThrow();
        subsetPath = JobWaiter.succeeded(http, job, Duration.ofMinutes(2)).path("result").asString();
        JsonNode subset = Http.json(http.get(subsetPath));
        HttpResponse<String> session = http.send("POST", "/api/v1/calibrations/" + subset.path("calibration")
                .asString() + "/sessions", "application/json", "{\"model\": \"fuzzed\", \"batchSize\": 3}");
        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        LIVE.put("$subset", subsetPath.substring(subsetPath.lastIndexOf('/') + 1));
        LIVE.put("$calibration", subset.path("calibration").asString());
        LIVE.put("$session", Http.json(session).path("id").asString());
        sessionAnswers = Http.json(session).path("items").valueStream().map(i -> "\"" + i.asString() + "\": 1")
                .collect(java.util.stream.Collectors.joining(", ", "{\"responses\": {", "}}"));
        List<String> items = subset.path("items").valueStream().map(i -> i.path("itemId").asString()).toList();

        VALID_UPLOADS.add(new Body("text/csv", Fixtures.wmdpSlice(30, 33, 12)));
        StringBuilder longCsv = new StringBuilder("model,item_id,score\n");
        StringBuilder json = new StringBuilder("{\"models\":[{\"model\":\"j\",\"responses\":{");
        StringBuilder ndjson = new StringBuilder();
        StringBuilder answers = new StringBuilder("{\"model\":\"new\",\"responses\":{");
        StringBuilder oneRow = new StringBuilder("model");
        StringBuilder row = new StringBuilder("\nnew");
        for (int k = 0; k < items.size(); k++) {
            String id = items.get(k);
            longCsv.append("l,").append(id).append(',').append(k % 2).append('\n');
            json.append(k == 0 ? "" : ",").append('"').append(id).append("\":").append(k % 3 == 0 ? "0.5" : "1");
            ndjson.append("{\"doc_id\":").append(k).append(",\"task\":\"t\",\"acc\":").append(k % 2).append("}\n");
            answers.append(k == 0 ? "" : ",").append('"').append(id).append("\":").append(k % 2);
            oneRow.append(',').append(id);
            row.append(',').append(k % 2);
        }
        VALID_UPLOADS.add(new Body("text/csv", longCsv.toString()));
        VALID_UPLOADS.add(new Body("application/json", json.append("}}]}").toString()));
        VALID_UPLOADS.add(new Body("application/x-ndjson", ndjson.toString()));
        VALID_ESTIMATES.add(new Body("application/json", answers.append("}}").toString()));
        VALID_ESTIMATES.add(new Body("text/csv", oneRow.append(row).append('\n').toString()));
    }

    @AfterContainer
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Property(tries = 150)
    void uploadsAreWholeOrNothingAndNeverA5xx(@ForAll("uploads") Body body) {
        long rows = count("model_row");
        long versions = count("dataset_version");
        String query = body.contentType().equals("application/x-ndjson") ? "?model=fuzzed" : "";
        HttpResponse<String> response = http.send("POST", "/api/v1/benchmarks/fuzz/results" + query,
                body.contentType(), body.text());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201, 400, 413, 415, 422);
        if (response.statusCode() == 201) {
            assertThat(count("dataset_version")).isEqualTo(versions + 1);
        } else if (response.statusCode() == 200) {
            // the body repeated the latest version: nothing new is kept, not even its rows
            assertThat(count("dataset_version")).isEqualTo(versions);
            assertThat(count("model_row")).isEqualTo(rows);
        } else {
            assertThat(count("model_row")).as("rows after a refused upload").isEqualTo(rows);
            assertThat(count("dataset_version")).as("versions after a refused upload").isEqualTo(versions);
            assertThat(Http.contentType(response)).startsWith("application/problem+json");
        }
    }

    @Property(tries = 150)
    void estimatesAreStoredWholeOrNotAtAllAndNeverA5xx(@ForAll("estimates") Body body) {
        long estimates = count("estimate");
        HttpResponse<String> response = http.send("POST", subsetPath + "/estimates?model=fuzzed", body.contentType(),
                body.text());
        assertThat(response.statusCode()).as(response.body()).isIn(201, 400, 413, 415, 422);
        assertThat(count("estimate")).isEqualTo(estimates + (response.statusCode() == 201 ? 1 : 0));
    }

    @Provide
    Arbitrary<Body> uploads() {
        return mutated(VALID_UPLOADS);
    }

    @Provide
    Arbitrary<Body> estimates() {
        return mutated(VALID_ESTIMATES);
    }

    /** A valid body, or one with a random mutation, or random text under a random content type. */
    private static Arbitrary<Body> mutated(List<Body> valid) {
        Arbitrary<String> noise = Arbitraries.strings().withChars("01,.\"{}[]:\n\r\t -eE+NaInfy\u00e9\u0000")
                .ofMaxLength(12);
        return Combinators.combine(Arbitraries.integers().between(0, valid.size() - 1),
                Arbitraries.integers().between(0, 7), Arbitraries.doubles().between(0, 1), noise,
                Arbitraries.of("text/csv", "application/json", "application/x-ndjson"))
                .as((which, mutation, where, text, type) -> {
                    Body base = valid.get(which);
                    String s = base.text();
                    int at = (int) (where * s.length());
                    return switch (mutation) {
                        case 0 -> base;
                        case 1 -> new Body(base.contentType(), s.substring(0, at) + text + s.substring(at));
                        case 2 -> new Body(base.contentType(), s.substring(0, at)
                                + s.substring(Math.min(s.length(), at + 1 + text.length())));
                        case 3 -> new Body(base.contentType(), s.substring(0, at));
                        case 4 -> new Body(base.contentType(), s + s.substring(at));
                        case 5 -> new Body(type, s);
                        case 6 -> new Body(base.contentType(), s.replace(",1", "," + text));
                        default -> new Body(type, text);
                    };
                });
    }

    /** lm-eval output folders (.tar.gz and .zip of two models' runs), whole or with their bytes cut or flipped. */
    @Property(tries = 60)
    void archivesAreWholeOrNothingAndNeverA5xx(@ForAll("archives") Archive archive) {
        long rows = count("model_row");
        long versions = count("dataset_version");
        long runs = count("run_provenance");
        HttpResponse<String> response = http.send(http.request("/api/v1/benchmarks/fuzz/results")
                .header("Content-Type", archive.contentType())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(archive.bytes())).build());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201, 400, 413, 415, 422);
        if (response.statusCode() >= 400) {
            assertThat(count("model_row")).as("rows after a refused archive").isEqualTo(rows);
            assertThat(count("dataset_version")).isEqualTo(versions);
            assertThat(count("run_provenance")).as("provenance after a refused archive").isEqualTo(runs);
            assertThat(Http.contentType(response)).startsWith("application/problem+json");
        } else if (response.statusCode() == 201) {
            assertThat(count("dataset_version")).isEqualTo(versions + 1);
        }
    }

    record Archive(String contentType, byte[] bytes) {
    }

    @Provide
    Arbitrary<Archive> archives() {
        return Combinators.combine(Arbitraries.of("application/gzip", "application/zip"),
                Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 255)).as((type, mutation, where, value) -> {
                    byte[] valid = type.equals("application/gzip") ? LM_EVAL_TAR_GZ : LM_EVAL_ZIP;
                    int at = (int) (where * (valid.length - 1));
                    byte[] bytes = switch (mutation) {
                        case 0 -> valid;
                        case 1 -> java.util.Arrays.copyOf(valid, at);
                        case 2 -> {
                            byte[] flipped = valid.clone();
                            flipped[at] ^= (byte) value.intValue();
                            yield flipped;
                        }
                        default -> {
                            byte[] other = type.equals("application/gzip") ? LM_EVAL_ZIP : LM_EVAL_TAR_GZ;
                            yield other; // the other kind of archive under this type
                        }
                    };
                    return new Archive(type, bytes);
                });
    }

    private static final byte[] LM_EVAL_TAR_GZ;
    private static final byte[] LM_EVAL_ZIP;

    static {
        try {
            java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("fuzz-lm-eval");
            for (int m = 0; m < 2; m++) {
                dev.itembank.support.LmEvalRunFolder.writeModel(folder, "org/fuzz-" + m, m - 0.5,
                        (task, doc) -> doc < 6, "", 0);
            }
            LM_EVAL_TAR_GZ = dev.itembank.cli.FolderArchive.tarGz(folder);
            java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip);
                    java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(folder)) {
                for (java.nio.file.Path file : files.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new java.util.zip.ZipEntry(folder.relativize(file).toString()));
                    java.nio.file.Files.copy(file, out);
                    out.closeEntry();
                }
            }
            LM_EVAL_ZIP = zip.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One operation of the committed OpenAPI contract: its method, path template and parameters. */
    record Operation(String method, String path, List<String> pathParameters, List<String> queryParameters,
            boolean body) {
    }

    private static final List<Operation> OPERATIONS = operations();

    /** Every operation of {@code openapi/openapi.yaml} (the contract the service serves, checked elsewhere). */
    private static List<Operation> operations() {
        try {
            io.swagger.v3.oas.models.OpenAPI api = new io.swagger.parser.OpenAPIParser().readContents(
                    java.nio.file.Files.readString(java.nio.file.Path.of("openapi/openapi.yaml")), null, null)
                    .getOpenAPI();
            List<Operation> operations = new ArrayList<>();
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                List<io.swagger.v3.oas.models.parameters.Parameter> parameters = operation.getParameters() == null
                        ? List.of() : operation.getParameters();
                operations.add(new Operation(method.name(), path,
                        parameters.stream().filter(p -> p.getIn().equals("path")).map(p -> p.getName()).toList(),
                        parameters.stream().filter(p -> p.getIn().equals("query")).map(p -> p.getName()).toList(),
                        operation.getRequestBody() != null));
            }));
            return operations;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A request to one operation with hostile path parameters, query values and body. */
    record Hostile(Operation operation, List<String> pathValues, List<String> queryValues, String body,
            String contentType) {

        String uri() {
            String path = operation.path();
            for (int k = 0; k < operation.pathParameters().size(); k++) {
                String value = LIVE.getOrDefault(pathValues.get(k), pathValues.get(k));
                path = path.replace("{" + operation.pathParameters().get(k) + "}", value);
            }
            StringBuilder query = new StringBuilder();
            for (int k = 0; k < operation.queryParameters().size(); k++) {
                if (queryValues.get(k) != null) {
                    query.append(query.isEmpty() ? "?" : "&").append(operation.queryParameters().get(k)).append('=')
                            .append(queryValues.get(k));
                }
            }
            return path + query;
        }
    }

    /**
     * Every operation of the contract, with path parameters that name nothing, name the wrong kind of resource or
     * cannot be decoded, query values out of range, of the wrong type or not UTF-8, and bodies of the wrong shape:
     * never a 5xx, and every refusal an RFC 9457 problem. (An OpenAPI-driven fuzz over HTTP found a dozen 500s this
     * way: a query value that is not UTF-8 on every endpoint, a null name in a list.)
     */
    @Property(tries = 250)
    void everyOperationOfTheContractAnswersHostileRequestsWithoutA5xx(@ForAll("hostile") Hostile request) {
        String uri = request.uri();
        String method = request.operation().method();
        String body = "$answers".equals(request.body()) ? sessionAnswers : request.body();
        HttpResponse<String> response = http.send(method, uri, body == null ? null : request.contentType(), body);
        assertThat(response.statusCode()).as(method + " " + uri + " " + request.body() + ": " + response.body())
                .isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(Http.contentType(response)).as(method + " " + uri).startsWith("application/problem+json");
        }
    }

    @Provide
    Arbitrary<Hostile> hostile() {
        Arbitrary<String> pathValue = Arbitraries.of("fuzz", "$subset", "$calibration", "$session",
                "00000000-0000-0000-0000-000000000000", "not-a-uuid", "%FF%FE", "%C3%28", "%00", "..", "%2e%2e",
                ";a=b", "%2F", "9999999999999999999999999999", "-1", "0", "NaN", "%20", "x".repeat(300), "%E2%80%AE");
        Arbitrary<String> queryValue = Arbitraries.of("", "0", "-1", "1", "0.5", "1e309", "NaN", "x", "%FF%FE",
                "%C3%28", "%00", "9999999999999999999999999999", "true", "fuzz", "wmdp_bio", "%2C%2C", "queued",
                "json", "csv", "lm-eval", "replace", "merge").injectNull(0.4);
        Arbitrary<String> body = Arbitraries.of("", "{", "[1,", "null", "[]", "\"x\"", "1e309", "{\"x\": 1}",
                "{\"model\": [], \"method\": {}, \"itemsPerScenario\": \"x\"}", "{\"heldOutModels\": [null]}",
                "{\"model\": \"m\", \"responses\": {\"a\": \"x\"}}", "{\"models\": [null]}",
                "{\"itemsPerScenario\": -1}", "{\"name\": \"\\u0000\"}", "{\"dimensions\": 4294967301}",
                "{\"seed\": 1e400}", "{\"model\": \"m\", \"level\": 2}", "{\"responses\": {\"i\": 2}}",
                "{\"model\": \"m\", \"scenarios\": [null], \"exclude\": [\"\"]}",
                "{\"role\": \"root\", \"name\": \"k\"}", "model,i1\na,x\n", "{\"responses\": {}}",
                "{\"responses\": {\"wmdp_bio_1\": 1, \"wmdp_cyber_1\": 0.5}}", "{\"responses\": null}", "$answers");
        Arbitrary<String> contentType = Arbitraries.of("application/json", "text/csv", "text/plain",
                "application/gzip", "application/json; charset=latin1");
        return Arbitraries.of(OPERATIONS).flatMap(operation -> Combinators.combine(
                pathValue.list().ofSize(operation.pathParameters().size()),
                queryValue.list().ofSize(operation.queryParameters().size()),
                operation.body() || operation.method().equals("POST") ? body.injectNull(0.1) : Arbitraries.just(null),
                contentType).as((paths, queries, text, type) -> new Hostile(operation, paths, queries, text, type)));
    }

    private static long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }
}
