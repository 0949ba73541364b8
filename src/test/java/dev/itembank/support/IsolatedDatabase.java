package dev.itembank.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh database on the run's shared PostgreSQL server, for tests that start several instances of the service
 * and must not meet the shared test context's job runner.
 */
public final class IsolatedDatabase {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");

    private IsolatedDatabase() {
    }

    /** Creates a database with a fresh name and returns how to reach it. */
    public static TestDatabase.Connection create(String prefix) {
        TestDatabase.Connection shared = TestDatabase.shared();
        Matcher url = URL.matcher(shared.url());
        if (!url.matches()) {
            throw new IllegalStateException("cannot derive a database URL from " + shared.url());
        }
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var connection = DriverManager.getConnection(shared.url(), shared.username(), shared.password());
                var statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return new TestDatabase.Connection(url.group(1) + name + url.group(3), shared.username(), shared.password(),
                shared.kind());
    }

    /** Command-line arguments that point the service at a database. */
    public static java.util.List<String> arguments(TestDatabase.Connection database) {
        java.util.List<String> args = new java.util.ArrayList<>();
        TestKeys.properties().forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--spring.datasource.url=" + database.url());
        if (database.username() != null) {
            args.add("--spring.datasource.username=" + database.username());
        }
        if (database.password() != null) {
            args.add("--spring.datasource.password=" + database.password());
        }
        return args;
    }
}
