package dev.itembank.api;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code openapi/openapi.yaml} is the committed contract: this test fails when the running service describes
 * another API. After a deliberate change, regenerate the file with
 * {@code ./mvnw verify -Dtest=OpenApiContractTest -Dopenapi.write=true} and review the diff.
 */
@IntegrationTest
class OpenApiContractTest {

    static final Path CONTRACT = Path.of("openapi/openapi.yaml");

    @LocalServerPort
    int port;

    @Test
    void runningServiceMatchesTheCommittedContract() throws IOException {
        HttpResponse<String> served = new Http(port).get("/v3/api-docs.yaml");
        assertThat(served.statusCode()).isEqualTo(200);
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(CONTRACT, served.body());
        }
        Object expected = new Yaml().load(Files.readString(CONTRACT));
        Object actual = new Yaml().load(served.body());
        assertThat(actual)
                .as("the API changed: regenerate openapi/openapi.yaml (see this test's Javadoc) and review the diff")
                .isEqualTo(expected);
    }
}
