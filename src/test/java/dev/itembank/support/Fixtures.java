package dev.itembank.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixtures the project ships (src/test/resources/fixtures): the WMDP matrix of the tinyBenchmarks fork
 * (64 models x 3,260 items, MIT) and the package's reference outputs for it.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static String text(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The WMDP matrix as lines of cells: line 0 is the header. */
    public static List<String[]> wmdpMatrix() {
        List<String[]> rows = new ArrayList<>();
        for (String line : text("wmdp/matrix.csv").split("\n")) {
            if (!line.isBlank()) {
                rows.add(line.strip().split(",", -1));
            }
        }
        return rows;
    }

    /** The WMDP matrix as responses, with each item's scenario: 0 = wmdp_cyber, 1 = wmdp_bio. */
    public record Wmdp(dev.itembank.psychometrics.matrix.ResponseMatrix responses, int[] scenarioOfItem) {

        /** Every item's balance weight: 1 (WMDP has no sub-scenarios). */
        public double[] balance() {
            double[] balance = new double[scenarioOfItem.length];
            java.util.Arrays.fill(balance, 1.0);
            return balance;
        }

        /** Per scenario and model, the full score: the mean of the model's answers in the scenario. */
        public double[][] truth() {
            return dev.itembank.psychometrics.matrix.ScenarioScores.table(responses, balance(), scenarioOfItem, 2);
        }
    }

    public static Wmdp wmdp() {
        List<String[]> rows = wmdpMatrix();
        String[] header = rows.get(0);
        int items = header.length - 1;
        var builder = dev.itembank.psychometrics.matrix.ResponseMatrix.binary(rows.size() - 1, items);
        int[] scenario = new int[items];
        for (int c = 1; c <= items; c++) {
            scenario[c - 1] = header[c].startsWith("wmdp_bio") ? 1 : 0;
            for (int m = 1; m < rows.size(); m++) {
                builder.set(m - 1, c - 1, Double.parseDouble(rows.get(m)[c]));
            }
        }
        return new Wmdp(builder.build(), scenario);
    }

    /** A wide CSV of WMDP rows {@code [fromModel, toModel)} and the first {@code items} item columns. */
    public static String wmdpSlice(int fromModel, int toModel, int items) {
        List<String[]> matrix = wmdpMatrix();
        StringBuilder csv = new StringBuilder();
        appendRow(csv, matrix.get(0), items);
        for (int m = fromModel; m < toModel; m++) {
            appendRow(csv, matrix.get(m + 1), items);
        }
        return csv.toString();
    }

    private static void appendRow(StringBuilder csv, String[] row, int items) {
        for (int c = 0; c <= items; c++) {
            if (c > 0) {
                csv.append(',');
            }
            csv.append(row[c]);
        }
        csv.append('\n');
    }
}
