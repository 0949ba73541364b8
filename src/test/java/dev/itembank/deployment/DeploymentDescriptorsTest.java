package dev.itembank.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker daemon or cluster exists where the tests run, so the container and chart are checked for what can
 * go wrong without one: the environment variables they set must be ones the service binds, and the health
 * paths they probe must be ones the running service answers with 200.
 */
@IntegrationTest
class DeploymentDescriptorsTest {

    private static final Path CHART = Path.of("helm/itembank");
    private static ConfigurationKeys keys;

    @LocalServerPort
    int port;
    Http http;

    @BeforeAll
    static void loadConfigurationKeys() throws IOException {
        keys = ConfigurationKeys.load();
        assertThat(keys.binds("SPRING_DATASOURCE_URL")).isTrue();
        assertThat(keys.binds("ITEMBANK_DATABASE_EMBEDDED_DATADIRECTORY")).isTrue();
        assertThat(keys.binds("ITEMBANK_NO_SUCH_SETTING")).isFalse();
    }

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void composeWiresTheServiceToPostgresWithVariablesItReads() throws IOException {
        Map<String, Object> compose = yaml(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(map(services.get("postgres")).get("image").toString()).startsWith("postgres:16");
        Map<String, Object> itembank = map(services.get("itembank"));
        Map<String, Object> environment = map(itembank.get("environment"));
        assertThat(environment).containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD");
        assertThat(environment.get("SPRING_DATASOURCE_URL").toString()).startsWith("jdbc:postgresql://postgres:");
        environment.keySet().forEach(variable -> assertThat(keys.binds(variable)).as(variable).isTrue());
        List<?> healthcheck = (List<?>) map(itembank.get("healthcheck")).get("test");
        assertServed(urlPath(healthcheck.get(healthcheck.size() - 1).toString()));
    }

    @Test
    void dockerfileRunsAsNonRootAndChecksHealthOnAServedPath() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("USER 10001").containsPattern("FROM \\S+ AS build");
        Matcher healthcheck = Pattern.compile("HEALTHCHECK[^\\n]*\\\\?\\n?\\s*CMD curl -fsS (\\S+)").matcher(dockerfile);
        assertThat(healthcheck.find()).as("HEALTHCHECK with curl").isTrue();
        assertServed(urlPath(healthcheck.group(1)));
        Matcher env = Pattern.compile("(?m)^\\s*(?:ENV\\s+)?([A-Z][A-Z0-9_]+)=").matcher(dockerfile);
        List<String> variables = new ArrayList<>();
        while (env.find()) {
            variables.add(env.group(1));
        }
        assertThat(variables).contains("ITEMBANK_DATABASE_EMBEDDED_DATADIRECTORY");
        variables.forEach(variable -> assertThat(keys.binds(variable)).as(variable).isTrue());
    }

    @Test
    void helmChartLintsCleanly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void helmChartRendersProbesAndVariablesThatTheServiceServesAndReads() {
        List<Map<String, Object>> manifests = render(Map.of("database.password", "secret"));
        Map<String, Object> deployment = manifest(manifests, "Deployment");
        Map<String, Object> podSpec = map(map(map(deployment.get("spec")).get("template")).get("spec"));
        assertThat(map(podSpec.get("securityContext"))).containsEntry("runAsNonRoot", true);
        Map<String, Object> container = map(((List<?>) podSpec.get("containers")).get(0));
        assertThat(map(container.get("resources"))).containsKeys("requests", "limits");

        List<String> variables = new ArrayList<>();
        ((List<?>) container.get("env")).forEach(entry -> variables.add(map(entry).get("name").toString()));
        variables.addAll(map(manifest(manifests, "ConfigMap").get("data")).keySet());
        assertThat(variables).contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD");
        variables.forEach(variable -> assertThat(keys.binds(variable)).as(variable).isTrue());

        assertServed(map(map(container.get("livenessProbe")).get("httpGet")).get("path").toString());
        assertServed(map(map(container.get("readinessProbe")).get("httpGet")).get("path").toString());
        assertThat(manifest(manifests, "Secret")).isNotNull();
        assertThat(manifest(manifests, "Service")).isNotNull();
    }

    @Test
    void helmChartOptionallyAddsIngressAndAutoscalerAndUsesAnExistingSecret() {
        List<Map<String, Object>> manifests = render(Map.of("ingress.enabled", true, "autoscaling.enabled", true,
                "database.existingSecret", "itembank-db", "security.adminKeySecret", "itembank-admin"));
        assertThat(manifest(manifests, "Ingress")).isNotNull();
        assertThat(manifest(manifests, "HorizontalPodAutoscaler")).isNotNull();
        assertThat(manifests).noneMatch(m -> "Secret".equals(m.get("kind")));
        Map<String, Object> deployment = manifest(manifests, "Deployment");
        assertThat(map(deployment.get("spec"))).doesNotContainKey("replicas");
        assertThat(deploymentYaml(deployment)).contains("name: itembank-db", "name: ITEMBANK_SECURITY_ADMINKEY",
                "name: itembank-admin");
    }

    @Test
    void helmChartOptionallyAddsAServiceMonitorThatScrapesWithAMetricsKey() {
        List<Map<String, Object>> manifests = render(Map.of("database.password", "secret", "serviceMonitor.enabled",
                true, "serviceMonitor.keySecret", "itembank-metrics"));
        Map<String, Object> monitor = manifests.stream().filter(m -> "ServiceMonitor".equals(m.get("kind")))
                .findFirst().orElseThrow();
        String text = monitor.toString();
        org.assertj.core.api.Assertions.assertThat(text).contains("path=/actuator/prometheus", "type=Bearer",
                "name=itembank-metrics", "key=metrics-key");
        org.assertj.core.api.Assertions.assertThat(render(Map.of("database.password", "secret")).stream()
                .filter(m -> "ServiceMonitor".equals(m.get("kind")))).isEmpty();
    }

    private List<Map<String, Object>> render(Map<String, Object> values) {
        var template = new Helm(CHART).template().withName("itembank");
        values.forEach(template::set);
        String rendered = template.call();
        List<Map<String, Object>> manifests = new ArrayList<>();
        StreamSupport.stream(new Yaml().loadAll(rendered).spliterator(), false)
                .filter(document -> document != null)
                .forEach(document -> manifests.add(map(document)));
        return manifests;
    }

    private void assertServed(String path) {
        assertThat(path).startsWith("/actuator/health");
        assertThat(http.get(path).statusCode()).as("GET " + path).isEqualTo(200);
    }

    private static String urlPath(String url) {
        return url.replaceFirst("^https?://[^/]+", "");
    }

    private static String deploymentYaml(Map<String, Object> deployment) {
        return new Yaml().dump(deployment);
    }

    private static Map<String, Object> manifest(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).findFirst().orElse(null);
    }

    private static Map<String, Object> yaml(String text) {
        return map(new Yaml().load(text));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
