package dev.itembank.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every configuration property that the service binds, read from the Spring configuration metadata of its own
 * classes and of every jar on the class path, and matched against environment variable names the way Spring
 * Boot's relaxed binding does ({@code SPRING_DATASOURCE_URL} binds {@code spring.datasource.url}).
 */
final class ConfigurationKeys {

    /** Variables read by the JVM itself, not by Spring. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private final Set<String> exact = new HashSet<>();
    private final Set<String> mapPrefixes = new HashSet<>();

    private ConfigurationKeys() {
    }

    static ConfigurationKeys load() throws IOException {
        ConfigurationKeys keys = new ConfigurationKeys();
        JsonMapper json = JsonMapper.builder().build();
        for (URL url : Collections.list(ConfigurationKeys.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String variable = environmentForm(property.path("name").asString());
                    keys.exact.add(variable);
                    if (property.path("type").asString().startsWith("java.util.Map")) {
                        keys.mapPrefixes.add(variable + "_");
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return keys;
    }

    int size() {
        return exact.size();
    }

    /** True when the service reads this environment variable. */
    boolean binds(String variable) {
        return JVM_VARIABLES.contains(variable) || exact.contains(variable)
                || mapPrefixes.stream().anyMatch(variable::startsWith);
    }

    /** {@code itembank.database.embedded.data-directory} becomes {@code ITEMBANK_DATABASE_EMBEDDED_DATADIRECTORY}. */
    static String environmentForm(String property) {
        return property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
