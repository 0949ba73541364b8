package dev.itembank.support;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Follows a job over HTTP until it finishes. */
public final class JobWaiter {

    private JobWaiter() {
    }

    /** Polls {@code /api/v1/jobs/{id}} until the job is finished; fails after {@code timeout}. */
    public static JsonNode finished(Http http, String jobPath, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            HttpResponse<String> response = http.get(jobPath);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode job = Http.json(response);
            String state = job.path("state").asString();
            if (state.equals("succeeded") || state.equals("failed") || state.equals("cancelled")) {
                return job;
            }
            assertThat(Instant.now()).as("job " + jobPath + " still " + state + " after " + timeout)
                    .isBefore(deadline);
            sleep(200);
        }
    }

    /** As {@link #finished}, and checks that it succeeded; returns the job. */
    public static JsonNode succeeded(Http http, String jobPath, Duration timeout) {
        JsonNode job = finished(http, jobPath, timeout);
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("succeeded");
        return job;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
