package dev.itembank.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where lm-evaluation-harness finds an item: its task and doc id. Declared by an item's {@code task} and
 * {@code doc_id} metadata (items CSV columns, or set when the item came from harness samples), else read from an id
 * of the form {@code <task>/<doc_id>}; none otherwise.
 */
public record LmEvalCoordinates(String task, String docId) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The item metadata that declares them. */
    static String metadata(String task, String docId) {
        if (task == null || docId == null) {
            return null;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("task", task);
        metadata.put("doc_id", docId);
        return JSON.writeValueAsString(metadata);
    }

    /** An item's coordinates from its metadata, else its id; null when neither gives them. */
    static LmEvalCoordinates of(String itemId, String metadataJson) {
        if (metadataJson != null && !metadataJson.isBlank()) {
            JsonNode metadata = JSON.readTree(metadataJson);
            JsonNode task = metadata.path("task");
            JsonNode docId = metadata.path("doc_id");
            if (task.isString() && !task.asString().isBlank() && (docId.isString() || docId.isNumber())
                    && !docId.asString().isBlank()) {
                return new LmEvalCoordinates(task.asString().strip(), docId.asString().strip());
            }
        }
        int slash = itemId.lastIndexOf('/');
        if (slash <= 0 || slash == itemId.length() - 1) {
            return null;
        }
        return new LmEvalCoordinates(itemId.substring(0, slash), itemId.substring(slash + 1));
    }

    /** The doc id as lm-eval's {@code --samples} wants it: a number when it is an integer. */
    public Object docIdValue() {
        return docId.matches("\\d{1,18}") ? (Object) Long.parseLong(docId) : docId;
    }
}
