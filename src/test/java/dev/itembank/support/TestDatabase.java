package dev.itembank.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL that every integration test of a run shares, chosen once per JVM:
 * <ol>
 *   <li>the database named by {@code ITEMBANK_TEST_DATABASE_URL} (with {@code ITEMBANK_TEST_DATABASE_USERNAME}
 *   and {@code ITEMBANK_TEST_DATABASE_PASSWORD}, or credentials in the URL), when set;</li>
 *   <li>Testcontainers' PostgreSQL 16, when a Docker daemon answers;</li>
 *   <li>otherwise an embedded PostgreSQL 16 from the zonky binaries, in a temporary directory.</li>
 * </ol>
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static Connection shared;

    /** How to reach the database; {@code username} and {@code password} may be null when the URL carries them. */
    public record Connection(String url, String username, String password, String kind) {
    }

    private TestDatabase() {
    }

    public static synchronized Connection shared() {
        if (shared == null) {
            shared = start();
            log.info("Integration tests use the {} PostgreSQL at {}", shared.kind(), shared.url().split("\\?")[0]);
        }
        return shared;
    }

    private static Connection start() {
        String url = System.getenv("ITEMBANK_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new Connection(url, System.getenv("ITEMBANK_TEST_DATABASE_USERNAME"),
                    System.getenv("ITEMBANK_TEST_DATABASE_PASSWORD"), "external");
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return new Connection(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "Testcontainers");
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new Connection(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", "embedded");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL for the tests", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
