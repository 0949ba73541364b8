package dev.itembank.evaluation;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

import dev.itembank.benchmarks.Grouping;
import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * A data set in the layout of {@code ../shared/data/*}: {@code matrix.csv} (model, item ids...), {@code items.csv}
 * (item_id, scenario, subscenario, ...) and optionally {@code models.csv} (model, released, ...).
 */
record DataFolder(String name, ResponseMatrix matrix, List<String> models, List<String> itemIds, int[] scenarioOfItem,
        int[] subscenarioOfItem, String[] scenarioNames, double[] released) {

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY)
            .enable(CsvReadFeature.SKIP_EMPTY_LINES).build();

    /** At most {@code count} of the models, drawn at random (in their order); this folder when it has no more. */
    DataFolder sample(int count, long seed) {
        int total = matrix.models();
        if (total <= count) {
            return this;
        }
        java.util.List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, total).boxed()
                .toList());
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        int[] rows = order.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
        double[] keptReleased = released == null ? null : java.util.Arrays.stream(rows).mapToDouble(l -> released[l])
                .toArray();
        return new DataFolder(name, matrix.selectModels(rows), java.util.Arrays.stream(rows).mapToObj(models::get)
                .toList(), itemIds, scenarioOfItem, subscenarioOfItem, scenarioNames, keptReleased);
    }

    static DataFolder read(Path folder) throws IOException {
        List<String[]> matrixRows = rows(folder.resolve("matrix.csv"));
        String[] header = matrixRows.get(0);
        List<String> itemIds = new ArrayList<>();
        for (int c = 1; c < header.length; c++) {
            itemIds.add(header[c].strip());
        }
        List<String> models = new ArrayList<>();
        ResponseMatrix.Builder builder = null;
        boolean binary = true;
        for (String[] row : matrixRows.subList(1, matrixRows.size())) {
            for (int c = 1; c < row.length && binary; c++) {
                String cell = row[c].strip();
                binary = cell.isEmpty() || cell.equals("0") || cell.equals("1") || cell.equals("0.0")
                        || cell.equals("1.0");
            }
        }
        builder = binary ? ResponseMatrix.binary(matrixRows.size() - 1, itemIds.size())
                : ResponseMatrix.continuous(matrixRows.size() - 1, itemIds.size());
        for (int r = 1; r < matrixRows.size(); r++) {
            String[] row = matrixRows.get(r);
            models.add(row[0].strip());
            for (int c = 1; c < row.length; c++) {
                String cell = row[c].strip();
                builder.set(r - 1, c - 1, cell.isEmpty() ? Double.NaN : Double.parseDouble(cell));
            }
        }
        Map<String, String[]> items = new HashMap<>();
        Path itemsFile = folder.resolve("items.csv");
        if (Files.exists(itemsFile)) {
            List<String[]> itemRows = rows(itemsFile);
            for (String[] row : itemRows.subList(1, itemRows.size())) {
                items.put(row[0].strip(), row);
            }
        }
        List<String> scenarioColumn = new ArrayList<>();
        List<String> subscenarioColumn = new ArrayList<>();
        for (String itemId : itemIds) {
            String[] row = items.get(itemId);
            scenarioColumn.add(row != null && row.length > 1 && !row[1].isBlank() ? row[1].strip()
                    : folder.getFileName().toString());
            subscenarioColumn.add(row != null && row.length > 2 ? row[2].strip() : "");
        }
        Grouping grouping = Grouping.of(scenarioColumn, subscenarioColumn);
        double[] released = new double[models.size()];
        java.util.Arrays.fill(released, Double.NaN);
        Path modelsFile = folder.resolve("models.csv");
        if (Files.exists(modelsFile)) {
            List<String[]> modelRows = rows(modelsFile);
            int column = List.of(modelRows.get(0)).indexOf("released");
            if (column > 0) {
                Map<String, Double> dates = new HashMap<>();
                for (String[] row : modelRows.subList(1, modelRows.size())) {
                    if (row.length > column && !row[column].isBlank()) {
                        dates.put(row[0].strip(), (double) LocalDate.parse(row[column].strip().substring(0, 10))
                                .toEpochDay());
                    }
                }
                for (int l = 0; l < models.size(); l++) {
                    released[l] = dates.getOrDefault(models.get(l), Double.NaN);
                }
            }
        }
        return new DataFolder(folder.getFileName().toString(), builder.build(), models, itemIds,
                grouping.scenarioOfItem(), grouping.subscenarioOfItem(), grouping.scenarioNames().toArray(String[]::new),
                released);
    }

    private static List<String[]> rows(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<String[]> iterator = CSV.readerFor(String[].class).readValues(reader)) {
            while (iterator.hasNextValue()) {
                rows.add(iterator.nextValue());
            }
        }
        return rows;
    }
}
