package dev.itembank.benchmarks;

import java.io.Reader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two metadata uploads: items ({@code item_id,scenario,subscenario,text}, extra columns kept as item
 * metadata) and models ({@code model,released,parameters,family,score:<scenario>...}, extra columns kept as
 * model metadata). Text is stored as given, formula-like or not, and never interpreted.
 */
final class CatalogCsvParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CatalogCsvParser() {
    }

    /** A model's metadata row. */
    record ModelInfo(String model, LocalDate released, Double parameters, String family, Map<String, Double> scores,
            Map<String, String> metadata) {
    }

    static List<CatalogItem> items(Reader reader, String benchmarkName) {
        List<CatalogItem> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        read(reader, "item_id", (header, row, line) -> {
            Map<String, String> metadata = new LinkedHashMap<>();
            String itemId = null;
            String scenario = null;
            String subscenario = null;
            String text = null;
            for (int c = 0; c < header.length; c++) {
                String value = row[c];
                switch (header[c]) {
                    case "item_id" -> itemId = MatrixCsv.unescape(value.strip());
                    case "scenario" -> scenario = MatrixCsv.unescape(value.strip());
                    case "subscenario" -> subscenario = value.isBlank() ? null : MatrixCsv.unescape(value.strip());
                    case "text" -> text = value.isEmpty() ? null : value;
                    default -> {
                        if (!value.isEmpty()) {
                            metadata.put(header[c], value);
                        }
                    }
                }
            }
            UploadProblem.Where where = new UploadProblem.Where(line, 1, null, itemId);
            if (itemId == null || itemId.isEmpty()) {
                throw UploadProblem.at("empty item_id", where);
            }
            if (itemId.length() > ResultsUpload.MAX_NAME_LENGTH) {
                throw UploadProblem.at("item_id longer than " + ResultsUpload.MAX_NAME_LENGTH + " characters", where);
            }
            if (!seen.add(itemId)) {
                throw UploadProblem.at("duplicate item_id '" + itemId + "' in this upload", where);
            }
            items.add(new CatalogItem(-1, itemId, scenario == null || scenario.isEmpty() ? benchmarkName : scenario,
                    subscenario, text, metadata.isEmpty() ? null : JSON.writeValueAsString(metadata), true));
        });
        if (items.isEmpty()) {
            throw UploadProblem.of("the upload contains no items");
        }
        return items;
    }

    static List<ModelInfo> models(Reader reader) {
        List<ModelInfo> models = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        read(reader, "model", (header, row, line) -> {
            String model = MatrixCsv.unescape(row[0].strip());
            if (model.isEmpty()) {
                throw UploadProblem.at("empty model name", new UploadProblem.Where(line, 1, null, null));
            }
            if (!seen.add(model)) {
                throw UploadProblem.at("duplicate model '" + model + "' in this upload",
                        new UploadProblem.Where(line, 1, model, null));
            }
            LocalDate released = null;
            Double parameters = null;
            String family = null;
            Map<String, Double> scores = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int c = 1; c < header.length; c++) {
                String value = row[c].strip();
                if (value.isEmpty()) {
                    continue;
                }
                UploadProblem.Where where = new UploadProblem.Where(line, c + 1, model, null);
                String column = header[c];
                if (column.equals("released")) {
                    released = date(value, where);
                } else if (column.equals("parameters")) {
                    parameters = parameters(value, where);
                } else if (column.equals("family")) {
                    family = value;
                } else if (column.startsWith("score:") && column.length() > 6) {
                    scores.put(column.substring(6), Scores.parse(value, where));
                } else {
                    metadata.put(column, row[c]);
                }
            }
            models.add(new ModelInfo(model, released, parameters, family, scores, metadata));
        });
        if (models.isEmpty()) {
            throw UploadProblem.of("the upload contains no models");
        }
        return models;
    }

    private static LocalDate date(String value, UploadProblem.Where where) {
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (DateTimeParseException e) {
            throw UploadProblem.at("released '" + Scores.abbreviate(value) + "' is not a date (YYYY-MM-DD)", where);
        }
    }

    /** A parameter count: a plain number, or with a K, M, B or T suffix (7B = 7e9). */
    private static Double parameters(String value, UploadProblem.Where where) {
        String text = value.toUpperCase(Locale.ROOT).replace("_", "");
        double scale = switch (text.charAt(text.length() - 1)) {
            case 'K' -> 1e3;
            case 'M' -> 1e6;
            case 'B' -> 1e9;
            case 'T' -> 1e12;
            default -> 1;
        };
        String number = scale == 1 ? text : text.substring(0, text.length() - 1);
        try {
            double parsed = Double.parseDouble(number) * scale;
            if (!Double.isFinite(parsed) || parsed < 0 || number.matches(".*[A-Z].*")) {
                throw new NumberFormatException(value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw UploadProblem.at("parameters '" + Scores.abbreviate(value) + "' is not a count (e.g. 7000000000 "
                    + "or 7B)", where);
        }
    }

    @FunctionalInterface
    private interface RowHandler {
        void row(String[] header, String[] row, long line);
    }

    private static void read(Reader reader, String firstColumn, RowHandler handler) {
        try (MappingIterator<String[]> rows = CsvResultsParser.rows(reader)) {
            if (!rows.hasNextValue()) {
                throw UploadProblem.of("the upload is empty: expected a header starting with '" + firstColumn + "'");
            }
            String[] header = rows.nextValue();
            for (int c = 0; c < header.length; c++) {
                header[c] = header[c].strip();
            }
            if (header.length == 0 || !header[0].equals(firstColumn)) {
                throw UploadProblem.at("the header must start with '" + firstColumn + "'",
                        new UploadProblem.Where(1, 1, null, null));
            }
            Set<String> names = new HashSet<>();
            for (int c = 0; c < header.length; c++) {
                if (header[c].isEmpty() || !names.add(header[c])) {
                    throw UploadProblem.at("empty or repeated column name '" + header[c] + "' in the header",
                            new UploadProblem.Where(1, c + 1, null, null));
                }
            }
            while (rows.hasNextValue()) {
                long line = rows.currentLocation().getLineNr();
                String[] row = rows.nextValue();
                if (row.length != header.length) {
                    throw UploadProblem.at("the row has " + row.length + " fields but the header has "
                            + header.length, UploadProblem.Where.line(line));
                }
                handler.row(header, row, line);
            }
        } catch (JacksonException e) {
            UploadProblem.rethrowCause(e);
            throw UploadProblem.at("the CSV could not be read: " + e.getOriginalMessage(),
                    UploadProblem.Where.line(e.getLocation() == null ? 0 : e.getLocation().getLineNr()));
        }
    }
}
