package dev.itembank.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the committed contract ({@code openapi/openapi.yaml}), with no key, each role's key and a
 * revoked key: 401 without a valid key, 403 below the operation's role, and otherwise never 401, 403 or a 5xx.
 * The roles the operations need are restated here from the issue, not read from the service's policy.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlTest {

    @LocalServerPort
    int port;

    Map<String, String> keys = new java.util.LinkedHashMap<>();
    String benchmark;

    record Operation(String method, String path, String operationId, String contentType) {
    }

    @BeforeAll
    void createKeys() {
        Http admin = new Http(port);
        for (String role : List.of("reader", "writer", "admin")) {
            keys.put(role, create(admin, role));
        }
        String revoked = create(admin, "writer");
        JsonNode listed = Http.json(admin.get("/api/v1/api-keys"));
        String revokedId = listed.valueStream().filter(k -> revoked.startsWith(k.path("prefix").asString())
                && k.path("name").asString().equals("access writer")).reduce((a, b) -> b).orElseThrow()
                .path("id").asString();
        assertThat(admin.send("DELETE", "/api/v1/api-keys/" + revokedId, null, null).statusCode()).isEqualTo(204);
        keys.put("revoked", revoked);
        benchmark = "access-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}")
                .statusCode()).isEqualTo(201);
        assertThat(listed.toString()).as("secrets are never listed").doesNotContain(keys.get("reader"));
    }

    private static String create(Http admin, String role) {
        HttpResponse<String> response = admin.send("POST", "/api/v1/api-keys", "application/json",
                "{\"name\":\"access " + role + "\",\"role\":\"" + role + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String key = Http.json(response).path("key").asString();
        assertThat(key).startsWith("ib_").hasSizeGreaterThanOrEqualTo(40);
        return key;
    }

    @Test
    void everyOperationAnswersEachCredentialAsItsRoleAllows() throws IOException {
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(25);
        List<String> failures = new ArrayList<>();
        for (Operation operation : operations) {
            String required = required(operation);
            check(operation, null, 401, failures);
            check(operation, keys.get("revoked"), 401, failures);
            for (String role : List.of("reader", "writer", "admin")) {
                check(operation, keys.get(role), rank(role) >= rank(required) ? 0 : 403, failures);
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * The same operations under other spellings of their paths. Those a router could read two ways (path parameters,
     * encoded semicolons, slashes and dots, empty segments) are refused before anything else with a 400 problem, for
     * every credential; the others (trailing slash, upper case) may route nowhere, but never answer a 2xx to a
     * credential below the operation's role, and never a 5xx. Before the firewall, {@code POST /api/v1/api-keys;x}
     * let a writer make an admin key.
     */
    @Test
    void noSpellingOfAPathGetsPastItsRole() throws IOException {
        Map<String, java.util.function.UnaryOperator<String>> ambiguous = Map.of(
                "path parameter", p -> p.replaceFirst("^(/api/v1/[^/]+)", "$1;x"),
                "encoded semicolon", p -> p.replaceFirst("^(/api/v1/[^/]+)", "$1%3Bx"),
                "empty segment", p -> p.replaceFirst("^/api/v1/", "/api/v1//"),
                "encoded dot segment", p -> p.replaceFirst("^/api/v1/", "/api/v1/%2e/"),
                "encoded slash", p -> p.replaceFirst("^/api/v1/", "/api/v1/x/..%2F"));
        Map<String, java.util.function.UnaryOperator<String>> plain = Map.of(
                "trailing slash", p -> p + "/",
                "upper case", p -> p.toUpperCase(java.util.Locale.ROOT));
        List<String> failures = new ArrayList<>();
        List<String> credentials = java.util.Arrays.asList(null, "reader", "writer", "admin");
        for (Operation operation : operations()) {
            String path = concrete(operation);
            for (String role : credentials) {
                String key = role == null ? null : keys.get(role);
                ambiguous.forEach((variant, spell) -> {
                    HttpResponse<String> response = send(operation, spell.apply(path), key);
                    if (response.statusCode() != 400 || !Http.contentType(response).startsWith(
                            "application/problem+json")) {
                        failures.add(variant + ": " + operation.method() + " " + spell.apply(path) + " with "
                                + (role == null ? "no key" : role) + ": " + response.statusCode() + " "
                                + response.body());
                    }
                });
                boolean allowed = role != null && rank(role) >= rank(required(operation));
                plain.forEach((variant, spell) -> {
                    HttpResponse<String> response = send(operation, spell.apply(path), key);
                    int status = response.statusCode();
                    if (status >= 500 || (!allowed && status < 400)) {
                        failures.add(variant + ": " + operation.method() + " " + spell.apply(path) + " with "
                                + (role == null ? "no key" : role) + ": " + status + " " + response.body());
                    }
                });
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aWriterCannotMintAnAdminKeyThroughAPathParameter() {
        Http writer = new Http(port, keys.get("writer"));
        HttpResponse<String> response = writer.send("POST", "/api/v1/api-keys;x", "application/json",
                "{\"name\":\"e\",\"role\":\"admin\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("\"key\"");
        assertThat(new Http(port, keys.get("reader")).get("/api/v1/api-keys;x").statusCode()).isEqualTo(400);
        assertThat(Http.json(new Http(port).get("/api/v1/api-keys")).valueStream()
                .filter(k -> k.path("name").asString().equals("e"))).isEmpty();
    }

    @Test
    void aMetricsKeyScrapesPrometheusAndNothingElse() {
        HttpResponse<String> created = new Http(port).send("POST", "/api/v1/api-keys", "application/json",
                "{\"name\":\"prometheus\",\"role\":\"metrics\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        Http metrics = new Http(port, Http.json(created).path("key").asString());
        HttpResponse<String> scrape = metrics.get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        // thread counts, but not the per-state gauges whose thread dump can stall a scrape (MetricsConfiguration)
        assertThat(scrape.body()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads")
                .doesNotContain("jvm_threads_states");
        assertThat(metrics.get("/actuator/info").statusCode()).isEqualTo(403);
        assertThat(metrics.get("/api/v1/benchmarks").statusCode()).isEqualTo(403);
        assertThat(metrics.get("/api/v1/api-keys").statusCode()).isEqualTo(403);
    }

    private String concrete(Operation operation) {
        return operation.path().replace("{name}", benchmark).replace("{id}", UUID.randomUUID().toString())
                .replace("{version}", "1");
    }

    private HttpResponse<String> send(Operation operation, String path, String key) {
        String body = operation.contentType() == null ? null
                : operation.contentType().contains("json") ? "{}" : "";
        return new Http(port, key).send(operation.method(), path, operation.contentType(), body);
    }

    @Test
    void healthIsOpenAndTheOtherOperationalEndpointsAreAdminOnly() {
        assertThat(new Http(port, null).get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(new Http(port, null).get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(new Http(port, null).get("/v3/api-docs").statusCode()).isEqualTo(200);
        for (String path : List.of("/actuator/prometheus", "/actuator/info", "/actuator")) {
            assertThat(new Http(port, null).get(path).statusCode()).as(path).isEqualTo(401);
            assertThat(new Http(port, keys.get("writer")).get(path).statusCode()).as(path).isEqualTo(403);
            assertThat(new Http(port, keys.get("admin")).get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void refusalsAreProblemsThatLeakNothing() {
        HttpResponse<String> anonymous = new Http(port, null).get("/api/v1/benchmarks");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        assertThat(Http.contentType(anonymous)).startsWith("application/problem+json");
        assertThat(Http.json(anonymous).path("type").asString()).isEqualTo("https://itembank.dev/problems/unauthorized");
        HttpResponse<String> forbidden = new Http(port, keys.get("reader")).send("POST", "/api/v1/benchmarks",
                "application/json", "{\"name\":\"nope\"}");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(Http.json(forbidden).path("type").asString()).isEqualTo("https://itembank.dev/problems/forbidden");
        for (HttpResponse<String> response : List.of(anonymous, forbidden)) {
            assertThat(response.body()).doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("select ")
                    .doesNotContain("at dev.itembank");
        }
        HttpResponse<String> garbage = new Http(port, "ib_" + "x".repeat(43)).get("/api/v1/benchmarks");
        assertThat(garbage.statusCode()).isEqualTo(401);
    }

    private void check(Operation operation, String key, int expected, List<String> failures) {
        HttpResponse<String> response = send(operation, concrete(operation), key);
        int status = response.statusCode();
        boolean ok = expected == 0 ? status != 401 && status != 403 && status < 500 : status == expected;
        if (!ok) {
            failures.add(operation.method() + " " + operation.path() + " with " + describe(key) + ": " + status
                    + " (expected " + (expected == 0 ? "neither 401, 403 nor 5xx" : expected) + ") " + response.body());
        }
    }

    private String describe(String key) {
        return key == null ? "no key" : keys.entrySet().stream().filter(e -> e.getValue().equals(key))
                .map(Map.Entry::getKey).findFirst().orElse("?") + " key";
    }

    /**
     * The role the issues give each operation: admin for keys, reader for reads, estimates and adaptive sessions
     * (a session is an estimate taken in batches), writer otherwise.
     */
    private static String required(Operation operation) {
        if (operation.path().startsWith("/api/v1/api-keys")) {
            return "admin";
        }
        if (operation.method().equals("GET") || List.of("createEstimate", "createEstimates", "createSession",
                "answerSession").contains(operation.operationId())) {
            return "reader";
        }
        return "writer";
    }

    private static int rank(String role) {
        return List.of("reader", "writer", "admin").indexOf(role);
    }

    @SuppressWarnings("unchecked")
    private static List<Operation> operations() throws IOException {
        Map<String, Object> spec;
        try (InputStream in = Files.newInputStream(Path.of("openapi", "openapi.yaml"))) {
            spec = new Yaml().load(in);
        }
        List<Operation> operations = new ArrayList<>();
        ((Map<String, Map<String, Object>>) spec.get("paths")).forEach((path, methods) -> methods.forEach((method, o) -> {
            Map<String, Object> operation = (Map<String, Object>) o;
            String contentType = null;
            if (operation.get("requestBody") instanceof Map<?, ?> requestBody
                    && requestBody.get("content") instanceof Map<?, ?> content) {
                contentType = (String) content.keySet().iterator().next();
            }
            operations.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), path,
                    (String) operation.get("operationId"), contentType));
        }));
        return operations;
    }
}
