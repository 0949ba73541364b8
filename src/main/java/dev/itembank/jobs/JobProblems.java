package dev.itembank.jobs;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;
import dev.itembank.api.Problems;

/** A failed job's {@code error}: an RFC 9457 problem object with a registered type, as a response would carry. */
final class JobProblems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JobProblems() {
    }

    static JsonNode of(ApiException e, String instance) {
        return problem(e.type(), e.getMessage(), instance, e.properties());
    }

    static JsonNode internal(String reference, String instance) {
        return problem(ProblemType.INTERNAL_ERROR, "The job failed unexpectedly; reference " + reference
                + " in the service log.", instance, Map.of("reference", reference));
    }

    static JsonNode workersDied(int attempts) {
        return problem(ProblemType.INTERNAL_ERROR, "The job's worker stopped responding " + attempts
                + " times (killed or out of memory); it is not claimed again.", null, Map.of("attempts", attempts));
    }

    private static JsonNode problem(ProblemType type, String detail, String instance, Map<String, ?> properties) {
        return JSON.valueToTree(Problems.asMap(type, detail, instance, properties));
    }
}
