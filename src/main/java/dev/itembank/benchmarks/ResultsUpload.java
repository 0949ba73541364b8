package dev.itembank.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed, fully validated results upload: its item columns in first-seen order and one packed row per model.
 * Nothing is written until the whole upload has been read into this form.
 */
final class ResultsUpload {

    final List<String> itemIds = new ArrayList<>();
    final List<String> models = new ArrayList<>();
    final List<PackedRow> rows = new ArrayList<>();
    /** The longest model name or item id, everywhere (uploads, catalogues, estimates): 512 characters. */
    static final int MAX_NAME_LENGTH = 512;
    /** What an item first seen in this upload is, when the catalogue does not declare it (harness tasks). */
    final Map<String, ItemHint> hints = new HashMap<>();
    /** The lm-evaluation-harness runs the upload came from, when it did. */
    final HarnessProvenance provenance = new HarnessProvenance();
    /** What the upload's reader decided for the user and says so (a filter chosen among several, ...). */
    final List<String> warnings = new ArrayList<>();
    /** For an lm-evaluation-harness import: what it read, per model. */
    Views.Imported imported;

    /**
     * The grouping and lm-eval coordinates of an item new to the catalogue: its scenario (a task, or the task's
     * top-level group), sub-scenario (the task, under a group), and the task and doc id that run it.
     */
    record ItemHint(String scenario, String subscenario, String task, String docId) {
    }
    private final Map<String, Integer> columnOf = new HashMap<>();
    private final Map<String, Integer> rowOf = new HashMap<>();
    private final Map<String, double[]> pending = new LinkedHashMap<>();

    /** The column of an item, adding it when new. */
    int column(String itemId, UploadProblem.Where where) {
        if (itemId == null || itemId.isBlank()) {
            throw UploadProblem.at("empty item id", where);
        }
        if (itemId.length() > MAX_NAME_LENGTH) {
            throw UploadProblem.at("item id longer than " + MAX_NAME_LENGTH + " characters", where);
        }
        if (itemId.indexOf('\0') >= 0) {
            throw UploadProblem.at("item id contains a NUL character", where);
        }
        Integer column = columnOf.get(itemId);
        if (column == null) {
            column = itemIds.size();
            itemIds.add(itemId);
            columnOf.put(itemId, column);
        }
        return column;
    }

    /** Declares a column that must be new (wide CSV header): a repeat is an error. */
    void declareColumn(String itemId, UploadProblem.Where where) {
        if (columnOf.containsKey(itemId)) {
            throw UploadProblem.at("duplicate item id '" + itemId + "' in the header (first at column "
                    + (columnOf.get(itemId) + 2) + ")", where);
        }
        column(itemId, where);
    }

    /**
     * A one-model upload's cells as given (packed rows keep continuous scores as floats; an estimate reads the
     * doubles), by column; null when the upload holds more than one model.
     */
    double[] onlyRowExact;

    /** Adds a complete row over the declared columns (wide formats). */
    void addRow(String model, double[] cells, UploadProblem.Where where) {
        checkNewModel(model, where);
        rowOf.put(model, models.size());
        models.add(model);
        rows.add(PackedRow.of(cells, itemIds.size()));
        onlyRowExact = models.size() == 1 ? Arrays.copyOf(cells, itemIds.size()) : null;
    }

    /** Sets one cell (long formats); a second value for the same model and item is an error. */
    void put(String model, String itemId, double score, UploadProblem.Where where) {
        if (model == null || model.isBlank()) {
            throw UploadProblem.at("empty model name", where);
        }
        int column = column(itemId, where);
        double[] cells = pending.computeIfAbsent(model, m -> {
            checkNewModel(m, where);
            return newCells(Math.max(16, itemIds.size()));
        });
        if (column >= cells.length) {
            int old = cells.length;
            cells = Arrays.copyOf(cells, Math.max(column + 1, old * 2));
            Arrays.fill(cells, old, cells.length, Double.NaN);
            pending.put(model, cells);
        }
        if (!Double.isNaN(cells[column])) {
            throw UploadProblem.at("a second value for the same model and item", where);
        }
        cells[column] = Double.isNaN(score) ? MISSING_MARK : score;
    }

    /** Packs the rows that long formats collected; call once after the last {@link #put}. */
    ResultsUpload finish() {
        int width = itemIds.size();
        pending.forEach((model, cells) -> {
            double[] row = newCells(width);
            for (int c = 0; c < Math.min(width, cells.length); c++) {
                row[c] = cells[c] == MISSING_MARK ? Double.NaN : cells[c];
            }
            rowOf.put(model, models.size());
            models.add(model);
            rows.add(PackedRow.of(row, width));
            onlyRowExact = models.size() == 1 ? row : null;
        });
        pending.clear();
        if (models.isEmpty()) {
            throw UploadProblem.of("the upload contains no model results");
        }
        if (itemIds.isEmpty()) {
            throw UploadProblem.of("the upload contains no items");
        }
        return this;
    }

    private void checkNewModel(String model, UploadProblem.Where where) {
        if (model == null || model.isBlank()) {
            throw UploadProblem.at("empty model name", where);
        }
        if (model.length() > MAX_NAME_LENGTH) {
            throw UploadProblem.at("model name longer than " + MAX_NAME_LENGTH + " characters", where);
        }
        if (model.indexOf('\0') >= 0) {
            throw UploadProblem.at("model name contains a NUL character", where);
        }
        if (rowOf.containsKey(model) || pending.containsKey(model)) {
            throw UploadProblem.at("duplicate model '" + model + "' in this upload", where);
        }
    }

    /** An explicitly empty cell in a long format, told apart from a cell never mentioned. */
    private static final double MISSING_MARK = -1.0;

    private static double[] newCells(int width) {
        double[] cells = new double[width];
        Arrays.fill(cells, Double.NaN);
        return cells;
    }
}
