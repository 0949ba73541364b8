package dev.itembank.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;

/**
 * Examples for the API description, built from the schemas: each property gets its own example, else its first
 * allowed value, else a value of its format (a UUID, a time, a path) or type. Only JSON bodies without a
 * hand-written example get one; a recursive schema stops at its second visit.
 */
final class OpenApiExamples {

    private final Map<String, Schema> schemas;

    OpenApiExamples(Map<String, Schema> schemas) {
        this.schemas = schemas == null ? Map.of() : schemas;
    }

    /** Sets an example on a JSON media type that has none. */
    void fill(String type, MediaType media) {
        boolean json = type.contains("json") && !type.contains("ndjson");
        if (!json || media.getSchema() == null || media.getExample() != null
                || media.getExamples() != null && !media.getExamples().isEmpty()) {
            return;
        }
        Object example = example(media.getSchema(), new HashSet<>(), 0);
        if (example != null) {
            media.setExample(example);
        }
    }

    Map<String, Object> problem() {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ProblemType.NOT_FOUND.uri().toString());
        problem.put("title", ProblemType.NOT_FOUND.title());
        problem.put("status", 404);
        problem.put("detail", "subset 1b4e28ba-2fa1-11d2-883f-0016d3cca427 does not exist");
        problem.put("instance", "/api/v1/subsets/1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        return problem;
    }

    @SuppressWarnings("unchecked")
    private Object example(Schema<?> schema, Set<String> visiting, int depth) {
        if (schema == null || depth > 6) {
            return null;
        }
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            if (!visiting.add(name)) {
                return null;
            }
            Object example = example(schemas.get(name), visiting, depth + 1);
            visiting.remove(name);
            return example;
        }
        if (schema.getExample() != null) {
            return schema.getExample();
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return schema.getEnum().get(0);
        }
        String type = type(schema);
        if ("array".equals(type)) {
            Object item = example(schema.getItems(), visiting, depth + 1);
            return item == null ? List.of() : new ArrayList<>(List.of(item));
        }
        if ("object".equals(type) || schema.getProperties() != null) {
            Map<String, Object> object = new LinkedHashMap<>();
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((name, property) -> {
                    Object value = example(property, visiting, depth + 1);
                    if (value != null) {
                        object.put(name, value);
                    }
                });
            } else if (schema.getAdditionalProperties() instanceof Schema<?> values) {
                Object value = example(values, visiting, depth + 1);
                if (value != null) {
                    object.put("key", value);
                }
            }
            return object;
        }
        if (type == null) {
            return null;
        }
        String format = schema.getFormat() == null ? "" : schema.getFormat();
        return switch (type) {
            case "integer" -> 1;
            case "number" -> 0.5;
            case "boolean" -> true;
            case "string" -> switch (format) {
                case "uuid" -> "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
                case "date-time" -> "2025-01-15T10:20:30Z";
                case "date" -> "2025-01-15";
                case "uri", "uri-reference" -> "/api/v1/benchmarks/wmdp";
                case "binary" -> null;
                default -> "string";
            };
            default -> null;
        };
    }

    private static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            return schema.getTypes().iterator().next();
        }
        return null;
    }
}
