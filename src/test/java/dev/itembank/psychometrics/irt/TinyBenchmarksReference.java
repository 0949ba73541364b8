package dev.itembank.psychometrics.irt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.itembank.support.Fixtures;

/**
 * The tinyBenchmarks package's own WMDP parameters, anchors and outputs (fixtures/wmdp/reference/tinybenchmarks,
 * MIT), read for parity tests.
 */
public record TinyBenchmarksReference(List<String> itemIds, List<String> scenarios, TinyBenchmarksItems items,
        Map<String, List<Integer>> anchors, Map<String, List<Double>> anchorWeights, List<String[]> expected,
        double[][] responses, Map<String, Double> lambdas) {

    public static TinyBenchmarksReference load() {
        List<String> itemIds = new ArrayList<>();
        List<String> scenarios = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        List<String> lines = lines("wmdp/reference/tinybenchmarks/item_params.csv");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            itemIds.add(cells[0]);
            scenarios.add(cells[1]);
            double[] values = new double[cells.length - 2];
            for (int k = 2; k < cells.length; k++) {
                values[k - 2] = Double.parseDouble(cells[k]);
            }
            rows.add(values);
        }
        int dims = rows.get(0).length - 1;
        double[] discriminations = new double[rows.size() * dims];
        double[] difficulties = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            difficulties[i] = rows.get(i)[0];
            System.arraycopy(rows.get(i), 1, discriminations, i * dims, dims);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < itemIds.size(); i++) {
            index.put(itemIds.get(i), i);
        }
        Map<String, List<Integer>> anchors = new LinkedHashMap<>();
        Map<String, List<Double>> weights = new LinkedHashMap<>();
        List<String> anchorLines = lines("wmdp/reference/tinybenchmarks/anchors.csv");
        for (String line : anchorLines.subList(1, anchorLines.size())) {
            String[] cells = line.split(",");
            anchors.computeIfAbsent(cells[0], s -> new ArrayList<>()).add(index.get(cells[2]));
            weights.computeIfAbsent(cells[0], s -> new ArrayList<>()).add(Double.parseDouble(cells[3]));
        }
        List<String[]> expected = new ArrayList<>();
        List<String> expectedLines = lines("wmdp/reference/tinybenchmarks/expected.csv");
        for (String line : expectedLines.subList(1, expectedLines.size())) {
            expected.add(line.split(","));
        }
        Map<String, Double> lambdas = new LinkedHashMap<>();
        List<String> lambdaLines = lines("wmdp/reference/tinybenchmarks/lambdas.csv");
        for (String line : lambdaLines.subList(1, lambdaLines.size())) {
            String[] cells = line.split(",");
            lambdas.put(cells[0], Double.parseDouble(cells[1]));
        }
        List<String[]> matrix = Fixtures.wmdpMatrix();
        String[] header = matrix.get(0);
        double[][] responses = new double[matrix.size() - 1][itemIds.size()];
        for (int c = 1; c < header.length; c++) {
            int item = index.get(header[c]);
            for (int m = 1; m < matrix.size(); m++) {
                responses[m - 1][item] = Double.parseDouble(matrix.get(m)[c]);
            }
        }
        return new TinyBenchmarksReference(itemIds, scenarios, new TinyBenchmarksItems(discriminations, difficulties,
                dims), anchors, weights, expected, responses, lambdas);
    }

    /** All anchors of all scenarios, in file order. */
    public int[] allAnchors() {
        return anchors.values().stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
    }

    private static List<String> lines(String path) {
        List<String> lines = new ArrayList<>();
        for (String line : Fixtures.text(path).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}
