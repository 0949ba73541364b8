package dev.itembank.database;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.TestKeys;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file of the table that holds the matrices is cut off on disk while the service is down. Before, the service
 * started UP, still reported 64 models, served the matrix as a header alone (with an immutable ETag) and built the
 * next version on the 8 rows left. Now readiness is DOWN, the version and its matrix are 500 problems naming it,
 * and an upload that would build on it is refused, writing nothing.
 */
class DamagedStorageTest {

    @TempDir
    Path data;

    @Test
    void aVersionWhoseRowsAreGoneIsNeverServedOrBuiltOn() throws Exception {
        int port = freePort();
        EmbeddedPostgres postgres = start(port);
        String file;
        try (ConfigurableApplicationContext service = service(postgres)) {
            Http http = new Http(port(service));
            assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"damaged\"}")
                    .statusCode()).isEqualTo(201);
            assertThat(http.send("POST", "/api/v1/benchmarks/damaged/results", "text/csv",
                    Fixtures.wmdpSlice(0, 64, 400)).statusCode()).isEqualTo(201);
            JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
            jdbc.execute("checkpoint");
            file = jdbc.queryForObject("select pg_relation_filepath('model_row')", String.class);
        }
        postgres.close();
        try (RandomAccessFile heap = new RandomAccessFile(data.resolve(file).toFile(), "rw")) {
            assertThat(heap.length()).as("the rows span several pages").isGreaterThan(8192);
            heap.setLength(8192);
        }
        postgres = start(port);
        try (ConfigurableApplicationContext service = service(postgres)) {
            Http http = new Http(port(service));
            HttpResponse<String> readiness = http.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
            assertThat(readiness.body()).contains("\"storage\":{\"status\":\"DOWN\"}");
            for (String path : List.of("/api/v1/benchmarks/damaged/versions/1",
                    "/api/v1/benchmarks/damaged/versions/1/matrix")) {
                HttpResponse<String> response = http.get(path);
                assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(500);
                assertThat(Http.json(response).path("detail").asString()).contains("damaged/versions/1", "damaged");
            }
            HttpResponse<String> upload = http.send("POST", "/api/v1/benchmarks/damaged/results", "text/csv",
                    "model,wmdp_bio_0\nnew-model,1\n");
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(500);
            assertThat(Http.json(http.get("/api/v1/benchmarks/damaged")).path("latestVersion").asInt())
                    .as("nothing was built on the damaged version").isEqualTo(1);
        } finally {
            postgres.close();
        }
    }

    private static ConfigurableApplicationContext service(EmbeddedPostgres postgres) {
        return new SpringApplicationBuilder(ItembankApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--itembank.security.admin-key=" + TestKeys.ADMIN, "--itembank.jobs.enabled=false");
    }

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
