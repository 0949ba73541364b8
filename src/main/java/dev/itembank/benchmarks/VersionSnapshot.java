package dev.itembank.benchmarks;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The columns of a dataset version (item ordinals, in the order they were first uploaded) with the scenario and
 * sub-scenario each had when the version was made, so that a version keeps its meaning when the catalogue is
 * edited later.
 */
record VersionSnapshot(int[] columns, String[] scenarios, String[] subscenarios) {

    VersionSnapshot {
        if (columns.length != scenarios.length || columns.length != subscenarios.length) {
            throw new IllegalArgumentException("columns, scenarios and subscenarios differ in length");
        }
    }

    static VersionSnapshot of(int[] columns, List<CatalogItem> catalogue) {
        String[] scenarios = new String[columns.length];
        String[] subscenarios = new String[columns.length];
        for (int c = 0; c < columns.length; c++) {
            CatalogItem item = catalogue.get(columns[c]);
            scenarios[c] = item.scenario();
            subscenarios[c] = item.subscenario() == null ? "" : item.subscenario();
        }
        return new VersionSnapshot(columns, scenarios, subscenarios);
    }

    int size() {
        return columns.length;
    }

    /** Items per scenario, scenarios in order of first appearance. */
    Map<String, Integer> itemsPerScenario() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String scenario : scenarios) {
            counts.merge(scenario, 1, Integer::sum);
        }
        return counts;
    }

    boolean sameGroupingAs(VersionSnapshot other) {
        return java.util.Arrays.equals(columns, other.columns) && java.util.Arrays.equals(scenarios, other.scenarios)
                && java.util.Arrays.equals(subscenarios, other.subscenarios);
    }

    static byte[] encodeColumns(int[] columns) {
        ByteBuffer buffer = ByteBuffer.allocate(columns.length * 4);
        buffer.asIntBuffer().put(columns);
        return buffer.array();
    }

    static int[] decodeColumns(byte[] bytes) {
        int[] columns = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).asIntBuffer().get(columns);
        return columns;
    }

    /** Dictionary encoding: distinct names, and a big-endian uint16 code per column. */
    record Coded(String[] names, byte[] codes) {

        static Coded of(String[] values) {
            Map<String, Integer> index = new LinkedHashMap<>();
            ByteBuffer codes = ByteBuffer.allocate(values.length * 2);
            for (String value : values) {
                int code = index.computeIfAbsent(Objects.requireNonNull(value), v -> index.size());
                if (code > 0xFFFF) {
                    throw new IllegalArgumentException("more than 65536 distinct scenarios");
                }
                codes.putChar((char) code);
            }
            return new Coded(index.keySet().toArray(String[]::new), codes.array());
        }

        String[] decode() {
            String[] values = new String[codes.length / 2];
            ByteBuffer buffer = ByteBuffer.wrap(codes);
            for (int c = 0; c < values.length; c++) {
                values[c] = names[buffer.getChar()];
            }
            return values;
        }
    }

    /** {@code columns} followed by those of {@code more} not already among them, each in its own order. */
    static int[] union(int[] columns, int[] more) {
        java.util.BitSet seen = new java.util.BitSet();
        int[] union = java.util.Arrays.copyOf(columns, columns.length + more.length);
        for (int column : columns) {
            seen.set(column);
        }
        int size = columns.length;
        for (int column : more) {
            if (!seen.get(column)) {
                seen.set(column);
                union[size++] = column;
            }
        }
        return java.util.Arrays.copyOf(union, size);
    }

    List<String> itemIds(List<CatalogItem> catalogue) {
        List<String> ids = new ArrayList<>(columns.length);
        for (int column : columns) {
            ids.add(catalogue.get(column).itemId());
        }
        return ids;
    }
}
