package dev.itembank.benchmarks;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON shapes of the benchmarks API. Entities never cross HTTP; these records do. */
final class Views {

    private Views() {
    }

    record BenchmarkView(String name, String description, Instant createdAt, int latestVersion, int items) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionView(String benchmark, int version, int models, int items, Map<String, Integer> scenarios,
            boolean binary, List<String> addedModels, List<String> replacedModels, String reason,
            Instant createdAt, String contentHash, List<ModelScore> modelScores) {
    }

    record ModelScore(String model, int answered, Double meanScore) {
    }

    record ItemView(String itemId, String scenario, String subscenario) {
    }

    record ItemsUpdate(String benchmark, int items, int added, int updated, int latestVersion,
            boolean newVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelInfoView(String model, LocalDate released, Double parameters, String family,
            Map<String, Double> scores, Map<String, String> metadata) {
    }

    record ModelsUpdate(String benchmark, int models, int added, int updated) {
    }
}
