package dev.itembank.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * lm-evaluation-harness {@code --log_samples} output ({@code samples_<task>_*.jsonl}): one JSON object per
 * line with {@code doc_id} and the metric (default {@code acc}). The item id is {@code <task>/<doc_id>} and an
 * item not declared otherwise gets the task as its scenario; the task comes from the line's {@code task} field or the {@code task} query parameter. Lines of another
 * {@code filter} than the requested one are skipped; several filters without a choice are an error.
 */
final class HarnessSamplesParser {

    private static final JsonMapper JSON = JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder()
            .streamReadConstraints(UploadBody.constraints()).build()).build();

    private HarnessSamplesParser() {
    }

    record Options(String model, String metric, String task, String filter) {
    }

    static ResultsUpload parse(Reader body, Options options) {
        if (options.model() == null || options.model().isBlank()) {
            throw UploadProblem.of("lm-evaluation-harness samples need the model's name: add ?model=<name>");
        }
        ResultsUpload upload = new ResultsUpload();
        String seenFilter = null;
        BufferedReader lines = body instanceof BufferedReader buffered ? buffered : new BufferedReader(body);
        long lineNumber = 1;
        try {
            for (String line = UploadBody.line(lines, lineNumber); line != null;
                    line = UploadBody.line(lines, ++lineNumber)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode sample = readLine(line, lineNumber);
                String filter = sample.path("filter").isString() ? sample.path("filter").asString() : null;
                if (options.filter() != null && filter != null && !options.filter().equals(filter)) {
                    continue;
                }
                if (options.filter() == null && filter != null) {
                    if (seenFilter != null && !seenFilter.equals(filter)) {
                        throw UploadProblem.at("the samples hold several filters ('" + seenFilter + "', '" + filter
                                + "'): choose one with ?filter=", UploadProblem.Where.line(lineNumber));
                    }
                    seenFilter = filter;
                }
                addSample(upload, sample, options, lineNumber);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!upload.itemIds.isEmpty() && options.task() != null) {
            upload.provenance.addRun(new HarnessProvenance.TaskRun(options.model(), options.task(), null, null, null,
                    options.filter() != null ? options.filter() : seenFilter, options.metric(),
                    upload.itemIds.size()));
        }
        return upload.finish();
    }

    /** A sample's text field, null when absent or blank. */
    static String text(JsonNode sample, String field) {
        JsonNode value = sample.path(field);
        return value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }

    private static JsonNode readLine(String line, long lineNumber) {
        try {
            JsonNode sample = JSON.readTree(line);
            if (!sample.isObject()) {
                throw UploadProblem.at("each line must be a JSON object", UploadProblem.Where.line(lineNumber));
            }
            return sample;
        } catch (JacksonException e) {
            UploadProblem.rethrowCause(e);
            throw UploadProblem.at("the line is not valid JSON: " + e.getOriginalMessage(),
                    UploadProblem.Where.line(lineNumber));
        }
    }

    private static void addSample(ResultsUpload upload, JsonNode sample, Options options, long lineNumber) {
        String task = sample.path("task").isString() ? sample.path("task").asString() : options.task();
        if (task == null || task.isBlank()) {
            throw UploadProblem.at("the samples do not name their task: add ?task=<lm-eval task name>",
                    UploadProblem.Where.line(lineNumber));
        }
        JsonNode docId = sample.path("doc_id");
        if (!(docId.isIntegralNumber() || docId.isString())) {
            throw UploadProblem.at("the sample has no doc_id", UploadProblem.Where.line(lineNumber));
        }
        String itemId = task + "/" + docId.asString();
        UploadProblem.Where where = new UploadProblem.Where(lineNumber, 0, options.model(), itemId);
        JsonNode value = sample.path(options.metric());
        double score;
        if (value.isNumber()) {
            score = Scores.check(value.asDouble(), where);
        } else if (value.isBoolean()) {
            score = value.asBoolean() ? 1.0 : 0.0;
        } else {
            throw UploadProblem.at("the sample has no numeric '" + options.metric() + "' (choose with ?metric=)",
                    where);
        }
        upload.put(options.model(), itemId, score, where);
        upload.hints.putIfAbsent(itemId, new ResultsUpload.ItemHint(task, null, task, docId.asString()));
        upload.provenance.addHashes(itemId, LmEvalRunReader.hashes(sample));
    }
}
