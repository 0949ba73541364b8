package dev.itembank.benchmarks;

import java.util.List;

import dev.itembank.psychometrics.matrix.ResponseMatrix;

/**
 * A dataset version in the form the science works on: its response matrix (rows in the version's model order,
 * columns in its item order) with the names and grouping of each row and column.
 *
 * @param benchmark the benchmark's name
 * @param version the dataset version
 * @param matrix models x items
 * @param models model names, by row
 * @param itemIds item ids, by column
 * @param scenarios each column's scenario in this version
 * @param subscenarios each column's sub-scenario in this version ("" when none)
 */
public record Dataset(String benchmark, int version, ResponseMatrix matrix, List<String> models,
        List<String> itemIds, List<String> scenarios, List<String> subscenarios) {
}
