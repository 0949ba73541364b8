package dev.itembank.jobs;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * A queued unit of long work as stored: what to do ({@code type}, {@code parameters}), where it stands and what it
 * published. State moves queued -> running -> succeeded | failed | cancelled; a running job whose worker died goes
 * back to running under a new claim.
 */
public record Job(UUID id, String type, Long benchmarkId, JsonNode parameters, State state, double progress,
        String message, int attempts, boolean cancelRequested, String result, JsonNode error, Instant createdAt,
        Instant startedAt, Instant finishedAt) {

    public enum State {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }

        public static State parse(String text) {
            for (State state : values()) {
                if (state.code().equals(text)) {
                    return state;
                }
            }
            throw new IllegalArgumentException("unknown job state '" + text + "': use one of queued, running, "
                    + "succeeded, failed, cancelled");
        }
    }
}
