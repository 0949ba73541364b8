package dev.itembank.api;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class OperationsEndpointsTest {

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void healthIsUpWithLivenessAndReadinessGroups() {
        JsonNode health = Http.json(http.get("/actuator/health"));
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("groups").toString()).contains("liveness", "readiness");
        assertThat(Http.json(http.get("/actuator/health/liveness")).path("status").asString()).isEqualTo("UP");
    }

    @Test
    void readinessIncludesTheDatabase() {
        JsonNode readiness = Http.json(http.get("/actuator/health/readiness"));
        assertThat(readiness.path("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").path("readinessState").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesJvmAndHttpMetrics() {
        HttpResponse<String> response = http.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes", "hikaricp_connections");
    }

    @Test
    void infoReportsVersionAndGitCommit() {
        JsonNode info = Http.json(http.get("/actuator/info"));
        assertThat(info.path("build").path("version").asString()).isNotBlank();
        assertThat(info.path("build").path("artifact").asString()).isEqualTo("itembank");
        assertThat(info.path("git").path("commit").path("id").path("full").asString()).matches("[0-9a-f]{40}");
    }

    @Test
    void servesTheOpenApiDescriptionAndSwaggerUi() {
        JsonNode docs = Http.json(http.get("/v3/api-docs"));
        assertThat(docs.path("info").path("title").asString()).isEqualTo("Itembank API");
        assertThat(docs.path("paths").has("/error")).as("the error controller is not part of the API").isFalse();
        HttpResponse<String> ui = http.send(http.request("/swagger-ui/index.html").GET().build());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
        assertThat(http.get("/swagger-ui.html").statusCode()).isIn(200, 302);
    }
}
