package dev.itembank.benchmarks;

import java.io.Reader;
import java.util.Arrays;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * Results as CSV: wide ({@code model,<item ids...>}, a row per model, the layout of {@code matrix.csv}) or long
 * (header exactly {@code model,item_id,score}, a row per cell).
 */
final class CsvResultsParser {

    private static final List<String> LONG_HEADER = List.of("model", "item_id", "score");
    private static final CsvMapper CSV = CsvMapper.builder(tools.jackson.dataformat.csv.CsvFactory.builder()
                    .streamReadConstraints(UploadBody.constraints()).build())
            .enable(CsvReadFeature.WRAP_AS_ARRAY)
            .enable(CsvReadFeature.SKIP_EMPTY_LINES)
            .build();

    private CsvResultsParser() {
    }

    static ResultsUpload parse(Reader reader) {
        try (MappingIterator<String[]> rows = rows(reader)) {
            if (!rows.hasNextValue()) {
                throw UploadProblem.of("the upload is empty: expected a header 'model,<item ids...>' "
                        + "or 'model,item_id,score'");
            }
            String[] header = rows.nextValue();
            if (header.length == 0 || !header[0].strip().equalsIgnoreCase("model")) {
                throw UploadProblem.at("the header must start with 'model', found '"
                        + Scores.abbreviate(header.length == 0 ? "" : header[0]) + "'", new UploadProblem.Where(1, 1,
                        null, null));
            }
            boolean longFormat = Arrays.stream(header).map(String::strip).toList().equals(LONG_HEADER);
            return longFormat ? readLong(rows) : readWide(header, rows);
        } catch (tools.jackson.core.exc.StreamConstraintsException e) {
            throw UploadBody.textTooLong("CSV field at line " + (e.getLocation() == null ? 0
                    : e.getLocation().getLineNr()));
        } catch (JacksonException e) {
            UploadProblem.rethrowCause(e);
            throw UploadProblem.at("the CSV could not be read: " + e.getOriginalMessage(),
                    UploadProblem.Where.line(e.getLocation() == null ? 0 : e.getLocation().getLineNr()));
        }
    }

    static MappingIterator<String[]> rows(Reader reader) {
        return CSV.readerFor(String[].class).readValues(reader);
    }

    private static ResultsUpload readWide(String[] header, MappingIterator<String[]> rows) {
        ResultsUpload upload = new ResultsUpload();
        for (int c = 1; c < header.length; c++) {
            upload.declareColumn(MatrixCsv.unescape(header[c].strip()), new UploadProblem.Where(1, c + 1, null, header[c]));
        }
        int width = header.length - 1;
        double[] cells = new double[width];
        while (rows.hasNextValue()) {
            long line = rows.currentLocation().getLineNr();
            String[] row = rows.nextValue();
            if (row.length != header.length) {
                throw UploadProblem.at("the row has " + row.length + " fields but the header has " + header.length,
                        new UploadProblem.Where(line, 0, row.length > 0 ? row[0] : null, null));
            }
            String model = MatrixCsv.unescape(row[0].strip());
            for (int c = 0; c < width; c++) {
                String cell = row[c + 1];
                cells[c] = cell.isEmpty() ? Double.NaN : Scores.parse(cell,
                        new UploadProblem.Where(line, c + 2, model, upload.itemIds.get(c)));
            }
            upload.addRow(model, cells, new UploadProblem.Where(line, 1, model, null));
        }
        return upload.finish();
    }

    private static ResultsUpload readLong(MappingIterator<String[]> rows) {
        ResultsUpload upload = new ResultsUpload();
        while (rows.hasNextValue()) {
            long line = rows.currentLocation().getLineNr();
            String[] row = rows.nextValue();
            if (row.length != 3) {
                throw UploadProblem.at("the row has " + row.length + " fields but 'model,item_id,score' has 3",
                        UploadProblem.Where.line(line));
            }
            String model = MatrixCsv.unescape(row[0].strip());
            String itemId = MatrixCsv.unescape(row[1].strip());
            UploadProblem.Where where = new UploadProblem.Where(line, 3, model, itemId);
            upload.put(model, itemId, Scores.parse(row[2], where), where);
        }
        return upload.finish();
    }
}
