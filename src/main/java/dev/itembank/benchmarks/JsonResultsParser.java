package dev.itembank.benchmarks;

import java.io.InputStream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Results as JSON, read as a stream so that large bodies never become a tree:
 * {@code {"models": [{"model": "m", "responses": {"<item id>": 1, "<item id>": 0.5, "<item id>": null}}]}}.
 */
final class JsonResultsParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(UploadBody.constraints())
            .build();

    private JsonResultsParser() {
    }

    static ResultsUpload parse(InputStream body) {
        ResultsUpload upload = new ResultsUpload();
        try (JsonParser json = JSON.createParser(tools.jackson.core.ObjectReadContext.empty(), body)) {
            expect(json, json.nextToken(), JsonToken.START_OBJECT, "the body must be a JSON object {\"models\": [...]}");
            boolean sawModels = false;
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (!field.equals("models")) {
                    json.skipChildren();
                    continue;
                }
                sawModels = true;
                expect(json, value, JsonToken.START_ARRAY, "'models' must be an array");
                java.util.Set<String> seen = new java.util.HashSet<>();
                int index = 0;
                for (JsonToken element = json.nextToken(); element != JsonToken.END_ARRAY;
                        element = json.nextToken(), index++) {
                    if (element != JsonToken.START_OBJECT) {
                        throw UploadProblem.at("element " + index + " of 'models' must be a model object {\"model\": "
                                + "..., \"responses\": {...}}, found " + describe(element), location(json, null, null));
                    }
                    readModel(json, upload, seen);
                }
            }
            if (!sawModels) {
                throw UploadProblem.of("the body has no 'models' array");
            }
            if (json.nextToken() != null) {
                throw UploadProblem.at("the body goes on after its JSON object ends", location(json, null, null));
            }
        } catch (tools.jackson.core.exc.StreamConstraintsException e) {
            throw UploadBody.textTooLong("JSON value at line " + (e.getLocation() == null ? 0
                    : e.getLocation().getLineNr()));
        } catch (JacksonException e) {
            UploadProblem.rethrowCause(e);
            throw UploadProblem.at("the JSON could not be read: " + e.getOriginalMessage(), where(e));
        }
        return upload.finish();
    }

    private static void readModel(JsonParser json, ResultsUpload upload, java.util.Set<String> seen) {
        String model = null;
        boolean sawResponses = false;
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "model" -> {
                    expect(json, value, JsonToken.VALUE_STRING, "'model' must be a string");
                    model = json.getString();
                    if (!seen.add(model)) {
                        throw UploadProblem.at("duplicate model '" + model + "' in this upload",
                                location(json, model, null));
                    }
                }
                case "responses" -> {
                    if (model == null) {
                        throw UploadProblem.at("'model' must come before 'responses'", location(json, null, null));
                    }
                    expect(json, value, JsonToken.START_OBJECT, "'responses' must be an object of item id to score");
                    sawResponses = true;
                    readResponses(json, upload, model);
                }
                default -> json.skipChildren();
            }
        }
        if (model == null || !sawResponses) {
            throw UploadProblem.at("each entry of 'models' needs 'model' and 'responses'", location(json, model, null));
        }
    }

    private static void readResponses(JsonParser json, ResultsUpload upload, String model) {
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String itemId = json.currentName();
            JsonToken value = json.nextToken();
            UploadProblem.Where where = location(json, model, itemId);
            double score = switch (value) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Scores.check(json.getDoubleValue(), where);
                case VALUE_TRUE -> 1.0;
                case VALUE_FALSE -> 0.0;
                case VALUE_NULL -> Double.NaN;
                default -> throw UploadProblem.at("a score must be a number in [0, 1], true, false or null", where);
            };
            upload.put(model, itemId, score, where);
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> String.valueOf(token);
        };
    }

    private static void expect(JsonParser json, JsonToken actual, JsonToken expected, String message) {
        if (actual != expected) {
            throw UploadProblem.at(message, location(json, null, null));
        }
    }

    private static UploadProblem.Where location(JsonParser json, String model, String itemId) {
        var location = json.currentLocation();
        return new UploadProblem.Where(location.getLineNr(), location.getColumnNr(), model, itemId);
    }

    private static UploadProblem.Where where(JacksonException e) {
        var location = e.getLocation();
        return location == null ? UploadProblem.Where.line(0)
                : new UploadProblem.Where(location.getLineNr(), location.getColumnNr(), null, null);
    }
}
