package dev.itembank.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;

/** A 422 for a bad upload, naming where: line, column, model and item as extension members when known. */
final class UploadProblem {

    private UploadProblem() {
    }

    static ApiException at(String detail, Where where) {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (where.line() > 0) {
            properties.put("line", where.line());
        }
        if (where.column() > 0) {
            properties.put("column", where.column());
        }
        if (where.model() != null) {
            properties.put("model", where.model());
        }
        if (where.itemId() != null) {
            properties.put("itemId", where.itemId());
        }
        return new ApiException(ProblemType.INVALID_UPLOAD, detail + where.describe(), properties);
    }

    /**
     * A parser wraps what its input stream throws: a problem found below it (not UTF-8, too large, bad gzip) is
     * answered as itself, not as unreadable text.
     */
    static void rethrowCause(Throwable e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause() == cause ? null
                : cause.getCause()) {
            if (cause instanceof ApiException problem) {
                throw problem;
            }
        }
    }

    static ApiException of(String detail) {
        return new ApiException(ProblemType.INVALID_UPLOAD, detail);
    }

    /** Where in an upload a value stands; line and column are 1-based, 0 when unknown. */
    record Where(long line, int column, String model, String itemId) {

        static Where line(long line) {
            return new Where(line, 0, null, null);
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            if (line > 0) {
                text.append(" at line ").append(line);
            }
            if (column > 0) {
                text.append(line > 0 ? ", column " : " at column ").append(column);
            }
            if (model != null) {
                text.append(" (model '").append(model).append('\'');
                text.append(itemId != null ? ", item '" + itemId + "')" : ")");
            } else if (itemId != null) {
                text.append(" (item '").append(itemId).append("')");
            }
            return text.toString();
        }
    }
}
