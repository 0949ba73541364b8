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
            Instant createdAt, String contentHash, List<ModelScore> modelScores, Cells cells, Imported imported,
            List<String> warnings) {

        /** The version as an upload's answer: what the upload did to its cells, what it read, what to check. */
        VersionView asUpload(Cells cells, Imported imported, List<String> warnings) {
            return new VersionView(benchmark, version, models, items, scenarios, binary, addedModels, replacedModels,
                    reason, createdAt, contentHash, modelScores, cells, imported, warnings);
        }
    }

    /**
     * What an upload did to the cells of its models: {@code added} cells were new, {@code replaced} ones held
     * values that the upload overwrote ({@code merge}), or the rows were replaced whole ({@code replace}).
     */
    /** The JSON results body (documentation: the parser reads it as a stream). */
    @io.swagger.v3.oas.annotations.media.Schema(name = "ResultsUpload")
    record ResultsBody(List<ModelResults> models) {
    }

    /** One model's scores by item id: 0/1, a score in [0, 1], true/false, or null for unanswered. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "ModelResults")
    record ModelResults(String model, Map<String, Double> responses) {
    }

    record Cells(String mode, long added, long replaced) {
    }

    /** What an lm-evaluation-harness import read: per model, its tasks and how many samples of each. */
    record Imported(List<ImportedModel> models, int files) {
    }

    record ImportedModel(String model, String directory, Map<String, Integer> samples, String harnessVersion) {
    }

    record ModelScore(String model, int answered, Double meanScore) {
    }

    record ItemView(String itemId, String scenario, String subscenario, String text) {
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
