package dev.itembank.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * One model's answers, as a new model submits them for an estimate: JSON {@code {"model", "responses": {item:
 * score}}}, lm-evaluation-harness samples (ndjson, {@code ?model=&metric=&task=&filter=}) or a one-model CSV (wide
 * or long), any of them gzip-compressed. Values are checked as uploads are (numbers or booleans in [0, 1]; null is
 * unanswered); errors are 422 problems that name the line, item or field.
 */
@Component
public class ModelResponses {

    private static final JsonMapper JSON = JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder()
                    .streamReadConstraints(UploadBody.constraints()).build())
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private final UploadProperties uploads;
    private final ResultsReader reader;

    ModelResponses(UploadProperties uploads, ResultsReader reader) {
        this.uploads = uploads;
        this.reader = reader;
    }

    /**
     * @param responses item id to score; NaN for an item named without an answer
     * @param provenance the lm-evaluation-harness run the answers came from (empty for other bodies)
     */
    public record Parsed(String model, Map<String, Double> responses, HarnessProvenance provenance) {

        public Parsed(String model, Map<String, Double> responses) {
            this(model, responses, new HarnessProvenance());
        }
    }

    /** Harness options, used for ndjson bodies. */
    public record HarnessOptions(String model, String metric, String task, String filter) {
    }

    /**
     * One model's answers from a body of any results media type: JSON, lm-eval samples, a one-model CSV or a
     * one-model lm-eval output folder (archive or multipart, all tasks at once).
     */
    public Parsed read(HttpServletRequest request, MediaType contentType, HarnessOptions options) throws IOException {
        if (contentType.isCompatibleWith(MediaType.APPLICATION_JSON)) {
            try (InputStream body = UploadBody.open(request, uploads.maxSize())) {
                Parsed parsed = json(body);
                UploadBody.finish(body);
                return parsed;
            }
        }
        ResultsUpload upload = reader.read(request, contentType, new ResultsReader.Options(options.model(),
                options.metric(), options.task(), options.filter()));
        if (upload.models.size() != 1) {
            throw UploadProblem.of("an estimate takes one model's answers; the body holds " + upload.models.size()
                    + " models" + (upload.models.size() <= 5 ? " " + upload.models : ""));
        }
        double[] row = upload.onlyRowExact;
        Map<String, Double> responses = new LinkedHashMap<>();
        for (int c = 0; c < upload.itemIds.size(); c++) {
            responses.put(upload.itemIds.get(c), c < row.length ? row[c] : Double.NaN);
        }
        return new Parsed(upload.models.get(0), responses, upload.provenance);
    }

    /**
     * Several models' answers for a batch of estimates, as the JSON results upload takes them ({@code {"models":
     * [{"model", "responses"}]}}), in their order; the same checks as an upload's.
     */
    public List<Parsed> readBatch(HttpServletRequest request) throws IOException {
        ResultsUpload upload;
        try (InputStream body = UploadBody.open(request, uploads.maxSize())) {
            upload = JsonResultsParser.parse(body);
            UploadBody.finish(body);
        }
        List<Parsed> models = new java.util.ArrayList<>(upload.models.size());
        for (int m = 0; m < upload.models.size(); m++) {
            PackedRow row = upload.rows.get(m);
            Map<String, Double> responses = new LinkedHashMap<>();
            for (int c = 0; c < upload.itemIds.size(); c++) {
                if (row.has(c)) {
                    responses.put(upload.itemIds.get(c), row.value(c));
                }
            }
            models.add(new Parsed(upload.models.get(m), responses));
        }
        return models;
    }

    /**
     * A {@code "responses"} object's item ids and scores, checked as an upload's are (numbers or booleans in [0, 1];
     * null is unanswered, NaN here); a bad id or value is a 422 naming the model and item.
     */
    public static Map<String, Double> responses(JsonNode answers, String model) {
        Map<String, Double> responses = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : answers.properties()) {
            UploadProblem.Where where = new UploadProblem.Where(0, 0, model, entry.getKey());
            if (entry.getKey().indexOf('\0') >= 0) {
                throw UploadProblem.at("the item id contains a NUL character", where);
            }
            JsonNode value = entry.getValue();
            double score;
            if (value.isNull()) {
                score = Double.NaN;
            } else if (value.isBoolean()) {
                score = value.asBoolean() ? 1 : 0;
            } else if (value.isNumber()) {
                score = Scores.check(value.asDouble(), where);
            } else {
                throw UploadProblem.at("the score must be a number in [0, 1], true/false or null", where);
            }
            responses.put(entry.getKey(), score);
        }
        return responses;
    }

    private static Parsed json(InputStream body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (tools.jackson.core.exc.StreamConstraintsException e) {
            throw UploadBody.textTooLong("JSON value");
        } catch (JacksonException e) {
            UploadProblem.rethrowCause(e);
            throw UploadProblem.at("the body is not valid JSON: " + e.getOriginalMessage(), e.getLocation() == null
                    ? UploadProblem.Where.line(0) : new UploadProblem.Where(e.getLocation().getLineNr(),
                    e.getLocation().getColumnNr(), null, null));
        }
        if (root == null || !root.isObject()) {
            throw UploadProblem.of("expected a JSON object {\"model\": ..., \"responses\": {\"<item id>\": score}}");
        }
        JsonNode model = root.path("model");
        if (!model.isString() || model.asString().isBlank() || model.asString().indexOf('\0') >= 0
                || model.asString().length() > ResultsUpload.MAX_NAME_LENGTH) {
            throw UploadProblem.of("\"model\" must be the model's name (at most " + ResultsUpload.MAX_NAME_LENGTH
                    + " characters, no NUL characters)");
        }
        JsonNode answers = root.path("responses");
        if (!answers.isObject() || answers.isEmpty()) {
            throw UploadProblem.at("\"responses\" must be an object of item ids to scores in [0, 1]",
                    new UploadProblem.Where(0, 0, model.asString(), null));
        }
        Map<String, Double> responses = responses(answers, model.asString());
        return new Parsed(model.asString(), responses);
    }
}
