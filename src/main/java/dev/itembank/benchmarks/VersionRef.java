package dev.itembank.benchmarks;

import java.util.Map;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;

/** A version in a path: a number from 1, or {@code latest}. */
record VersionRef(Integer number) {

    static VersionRef parse(String text) {
        if ("latest".equals(text)) {
            return new VersionRef(null);
        }
        try {
            int number = Integer.parseInt(text);
            if (number >= 1) {
                return new VersionRef(number);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ProblemType.NOT_FOUND, "'" + Scores.abbreviate(text)
                + "' is not a version: use a number from 1 or 'latest'", Map.of("resource", "version"));
    }

    /** How a version is named in problems and logs: {@code wmdp/versions/1}. */
    static String path(String benchmark, int version) {
        return benchmark + "/versions/" + version;
    }

    boolean isLatest() {
        return number == null;
    }
}
