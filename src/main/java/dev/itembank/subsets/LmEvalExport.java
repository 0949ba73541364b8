package dev.itembank.subsets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;

/**
 * A subset as lm-evaluation-harness's {@code --samples} argument: {@code {"<task>": [doc ids]}}. Items uploaded
 * from harness samples have ids {@code <task>/<doc_id>}; doc ids that are integers are written as numbers.
 */
final class LmEvalExport {

    private LmEvalExport() {
    }

    static Map<String, List<Object>> samples(List<String> itemIds) {
        Map<String, List<Object>> byTask = new LinkedHashMap<>();
        for (String itemId : itemIds) {
            int slash = itemId.lastIndexOf('/');
            if (slash <= 0 || slash == itemId.length() - 1) {
                throw new ApiException(ProblemType.NOT_ACCEPTABLE, "item '" + itemId + "' was not uploaded from "
                        + "lm-evaluation-harness samples (ids <task>/<doc_id>), so the subset has no lm-eval form",
                        Map.of("itemId", itemId));
            }
            String docId = itemId.substring(slash + 1);
            Object id = docId.matches("\\d{1,18}") ? (Object) Long.parseLong(docId) : docId;
            byTask.computeIfAbsent(itemId.substring(0, slash), task -> new java.util.ArrayList<>()).add(id);
        }
        return byTask;
    }
}
