package dev.itembank.benchmarks;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes a version's matrix as wide CSV ({@code model,<item ids...>}): binary cells as 0/1, continuous ones as
 * a plain decimal that reads back to the same stored float, missing cells empty.
 */
public final class MatrixCsv {

    private MatrixCsv() {
    }

    static void header(Writer out, List<String> itemIds) throws IOException {
        out.write("model");
        for (String itemId : itemIds) {
            out.write(',');
            out.write(field(itemId));
        }
        out.write('\n');
    }

    static void row(Writer out, String model, PackedRow row, int[] columns) throws IOException {
        StringBuilder line = new StringBuilder(columns.length * 2 + 64).append(field(model));
        for (int column : columns) {
            line.append(',');
            if (row.has(column)) {
                line.append(row.isBinary() ? (row.value(column) == 1.0 ? "1" : "0") : decimal(row.scores[column]));
            }
        }
        out.append(line).append('\n');
    }

    /**
     * A text field: RFC 4180 quoting where needed, and OWASP's defence against CSV injection - text that a
     * spreadsheet would read as a formula (starting with {@code = + - @}, a tab or a carriage return) is written
     * behind a single quote, so that {@code =HYPERLINK(...)} shows as text. {@link #unescape} undoes it exactly, and
     * the CSV uploads apply it, so that a downloaded matrix uploads again unchanged: text that already starts with
     * quotes before such a character gets one more, which keeps the mapping one to one.
     */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        if (formulaLike(value)) {
            value = "'" + value;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** Undoes the single quote {@link #field} puts before formula-like text. */
    static String unescape(String value) {
        return value.length() > 1 && value.charAt(0) == '\'' && formulaLike(value.substring(1)) ? value.substring(1)
                : value;
    }

    /** Text of the form {@code '*[=+\-@\t\r]...}: what a spreadsheet could take for a formula, behind any quotes. */
    private static boolean formulaLike(String value) {
        int i = 0;
        while (i < value.length() && value.charAt(i) == '\'') {
            i++;
        }
        if (i == value.length()) {
            return false;
        }
        char c = value.charAt(i);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /** A plain decimal that parses back to {@code score} exactly: {@code 0.732832}, {@code 1}, {@code 0.00001}. */
    static String decimal(float score) {
        if (score == 0f) {
            return "0";
        }
        if (score == 1f) {
            return "1";
        }
        String text = Float.toString(score);
        if (text.indexOf('E') >= 0) {
            text = new java.math.BigDecimal(text).stripTrailingZeros().toPlainString();
        }
        return text;
    }
}
