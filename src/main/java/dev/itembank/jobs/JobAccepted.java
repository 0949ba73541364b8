package dev.itembank.jobs;

import java.net.URI;
import java.util.UUID;

import org.springframework.http.ResponseEntity;

/** The answer to a request that queued a job: 202 Accepted, the job's id and where to follow it. */
public record JobAccepted(UUID job, String type, String state, String href) {

    public static ResponseEntity<JobAccepted> response(UUID job, String type) {
        String href = "/api/v1/jobs/" + job;
        return ResponseEntity.accepted().location(URI.create(href)).body(new JobAccepted(job, type, "queued", href));
    }
}
