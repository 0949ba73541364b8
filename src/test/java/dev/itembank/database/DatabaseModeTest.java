package dev.itembank.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Http;
import dev.itembank.support.TestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts the real application the way a user does: embedded PostgreSQL by default, external when configured. */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseModeTest {

    @TempDir
    Path dataDirectory;

    @Test
    void embeddedDatabaseKeepsDataAcrossRestartsOfTheService(CapturedOutput output) {
        try (ConfigurableApplicationContext first = start("--spring.datasource.url=",
                "--itembank.database.embedded.data-directory=" + dataDirectory)) {
            assertThat(first.getBeansOfType(EmbeddedPostgres.class)).hasSize(1);
            assertThat(healthOf(first)).isEqualTo("UP");
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            jdbc.execute("create table restart_probe (note text not null)");
            jdbc.update("insert into restart_probe (note) values (?)", "written before the restart");
        }
        assertThat(output).contains("Database: embedded PostgreSQL", "with new data directory",
                "Itembank generated its first admin API key");
        assertThat(Files.exists(dataDirectory.resolve("PG_VERSION"))).isTrue();

        try (ConfigurableApplicationContext second = start("--spring.datasource.url=",
                "--itembank.database.embedded.data-directory=" + dataDirectory)) {
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("select note from restart_probe", String.class))
                    .containsExactly("written before the restart");
            assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where success", Integer.class))
                    .as("migrations ran once, on the first start").isEqualTo(countMigrations());
            assertThat(healthOf(second)).isEqualTo("UP");
        }
        assertThat(output).contains("with existing data directory");
        assertThat(output.toString().split("generated its first admin API key", -1)).as("the key is printed once")
                .hasSize(2);
    }

    @Test
    void externalDatabaseUrlStartsNothingEmbedded(CapturedOutput output) {
        TestDatabase.Connection database = TestDatabase.shared();
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + database.url(),
                "--itembank.database.embedded.data-directory=" + dataDirectory));
        if (database.username() != null) {
            args.add("--spring.datasource.username=" + database.username());
            args.add("--spring.datasource.password=" + database.password());
        }
        try (ConfigurableApplicationContext context = start(args.toArray(String[]::new))) {
            assertThat(context.getBeansOfType(EmbeddedPostgres.class)).isEmpty();
            assertThat(healthOf(context)).isEqualTo("UP");
        }
        assertThat(output).contains("Database: external PostgreSQL at " + database.url().split("\\?")[0]);
        assertThat(dataDirectory).isEmptyDirectory();
    }

    private static ConfigurableApplicationContext start(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(args, 0, all, 1, args.length);
        return new SpringApplicationBuilder(ItembankApplication.class).run(all);
    }

    private static String healthOf(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return Http.json(new Http(port).get("/actuator/health/readiness")).path("status").asString();
    }

    private static int countMigrations() {
        try (var files = Files.list(Path.of("db/migration"))) {
            return (int) files.filter(file -> file.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
