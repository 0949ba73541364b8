package dev.itembank.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The job table: queueing, claiming with {@code FOR UPDATE SKIP LOCKED}, leases, and the guarded state moves. Every
 * move of a running job names the claim token it was claimed with, so a worker that lost its claim changes nothing.
 * Times come from the database's clock, the one clock every replica shares.
 */
@Repository
public class Jobs {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = """
            id, type, benchmark_id, parameters::text, state, progress, message, attempts, cancel_requested, result,
            error::text, created_at, started_at, finished_at""";
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final JobsProperties properties;

    Jobs(JdbcTemplate jdbc, ApplicationEventPublisher events, JobsProperties properties) {
        this.jdbc = jdbc;
        this.events = events;
        this.properties = properties;
    }

    /** A claimed job and the token that proves the claim. */
    record Claim(Job job, UUID token) {
    }

    /** What a heartbeat learned: whether the claim still holds, and whether a cancel was asked for. */
    record Heartbeat(boolean held, boolean cancelRequested) {
    }

    /** Published after a job is queued, so that an idle local worker looks at once. */
    record Queued(UUID id) {
    }

    /** Queues a job; joins the caller's transaction, so a job and what made it land together. */
    @Transactional
    public UUID enqueue(String type, Long benchmarkId, JsonNode parameters) {
        return insert(type, benchmarkId, parameters, null);
    }

    /**
     * Queues a job that the current request's API key asks for, within that key's quota of queued and running jobs
     * ({@code itembank.jobs.max-active-per-key}); beyond it a 429. Concurrent requests of one key are serialised by
     * an advisory lock held to the end of the transaction, so the quota holds under concurrency too.
     */
    @Transactional
    public UUID enqueueRequested(String type, Long benchmarkId, JsonNode parameters) {
        Optional<UUID> key = dev.itembank.security.Callers.currentKey();
        if (key.isEmpty()) {
            return insert(type, benchmarkId, parameters, null);
        }
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 7411))", key.get().toString());
        Integer active = jdbc.queryForObject("select count(*) from job where requested_by = ? and state in "
                + "('queued', 'running')", Integer.class, key.get());
        int quota = properties.maxActivePerKey();
        if (active != null && active >= quota) {
            throw new ApiException(ProblemType.TOO_MANY_REQUESTS, "This API key has " + active + " jobs queued or "
                    + "running, its quota (itembank.jobs.max-active-per-key = " + quota + "); wait for one to finish "
                    + "or cancel one", Map.of("activeJobs", active, "quota", quota));
        }
        return insert(type, benchmarkId, parameters, key.get());
    }

    private UUID insert(String type, Long benchmarkId, JsonNode parameters, UUID requestedBy) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into job (id, type, benchmark_id, parameters, state, requested_by) values (?, ?, ?, "
                + "?::jsonb, 'queued', ?)", id, type, benchmarkId, JSON.writeValueAsString(parameters), requestedBy);
        events.publishEvent(new Queued(id));
        return id;
    }

    /** How many jobs of each type are in each state (for the queue's metrics). */
    Map<String, Map<String, Long>> countsByTypeAndState() {
        Map<String, Map<String, Long>> counts = new java.util.HashMap<>();
        jdbc.query("select type, state, count(*) from job group by type, state", (ResultSet rs) -> {
            counts.computeIfAbsent(rs.getString(1), type -> new java.util.HashMap<>()).put(rs.getString(2),
                    rs.getLong(3));
        });
        return counts;
    }

    /**
     * The newest job of this type on this benchmark with exactly these parameters, if any: a request that would
     * queue the same work again joins it (or reads how it ended) instead.
     */
    public Optional<Job> findLatest(String type, long benchmarkId, JsonNode parameters) {
        return jdbc.query("select " + COLUMNS + " from job where type = ? and benchmark_id = ? and parameters = "
                + "?::jsonb order by created_at desc limit 1", MAPPER, type, benchmarkId,
                JSON.writeValueAsString(parameters)).stream().findFirst();
    }

    public Optional<Job> find(UUID id) {
        return jdbc.query("select " + COLUMNS + " from job where id = ?", MAPPER, id).stream().findFirst();
    }

    List<Job> list(Job.State state, String type, Long benchmarkId, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from job where true");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" and state = ?");
            args.add(state.code());
        }
        if (type != null) {
            sql.append(" and type = ?");
            args.add(type);
        }
        if (benchmarkId != null) {
            sql.append(" and benchmark_id = ?");
            args.add(benchmarkId);
        }
        sql.append(" order by created_at desc, id limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), MAPPER, args.toArray());
    }

    /** Cancels a queued job at once, or asks its worker to stop a running one; false when it already finished. */
    @Transactional
    boolean cancel(UUID id) {
        int queued = jdbc.update("""
                update job set state = 'cancelled', finished_at = now(), message = 'cancelled before it started'
                where id = ? and state = 'queued'""", id);
        return queued > 0 || jdbc.update("update job set cancel_requested = true where id = ? and state = 'running'",
                id) > 0;
    }

    /**
     * Claims the oldest queued job, or a running one whose lease expired (its worker died) and that has attempts
     * left; one without is left to {@link #reap}.
     */
    @Transactional
    Optional<Claim> claim(String worker, Duration lease, int maxAttempts) {
        UUID token = UUID.randomUUID();
        List<Job> claimed = jdbc.query("""
                update job set state = 'running', claim_token = ?, worker = ?, attempts = attempts + 1,
                    lease_until = now() + make_interval(secs => ?), started_at = coalesce(started_at, now()),
                    message = case when state = 'running' then 'claimed again: the previous worker stopped responding'
                                   else message end
                where id = (select id from job
                            where state = 'queued'
                               or (state = 'running' and lease_until < now() and attempts < ?)
                            order by created_at, id limit 1 for update skip locked)
                returning """ + " " + COLUMNS, MAPPER, token, worker, seconds(lease), maxAttempts);
        return claimed.stream().findFirst().map(job -> new Claim(job, token));
    }

    /**
     * Fails expired jobs that have used up their attempts (a job that kills its workers is not retried for ever)
     * and finishes expired jobs whose cancel was asked for.
     */
    @Transactional
    int reap(int maxAttempts) {
        int cancelled = jdbc.update("""
                update job set state = 'cancelled', finished_at = now(), claim_token = null
                where state = 'running' and lease_until < now() and cancel_requested""");
        int failed = jdbc.update("""
                update job set state = 'failed', finished_at = now(), claim_token = null, error = ?::jsonb
                where state = 'running' and lease_until < now() and attempts >= ?""",
                JSON.writeValueAsString(JobProblems.workersDied(maxAttempts)), maxAttempts);
        return cancelled + failed;
    }

    Heartbeat heartbeat(UUID id, UUID token, Duration lease, double progress, String message) {
        List<Boolean> cancel = jdbc.query("""
                update job set lease_until = now() + make_interval(secs => ?), progress = greatest(progress, ?),
                    message = coalesce(?, message)
                where id = ? and claim_token = ? and state = 'running'
                returning cancel_requested""", (rs, n) -> rs.getBoolean(1), seconds(lease),
                Math.max(0, Math.min(1, progress)), message, id, token);
        return cancel.isEmpty() ? new Heartbeat(false, false) : new Heartbeat(true, cancel.get(0));
    }

    /** Marks success; call inside the transaction that publishes the result. False when the claim was lost. */
    boolean succeed(UUID id, UUID token, String result) {
        return finish(id, token, "succeeded", result, null, "done") > 0;
    }

    boolean fail(UUID id, UUID token, JsonNode problem) {
        return finish(id, token, "failed", null, problem, null) > 0;
    }

    boolean cancelled(UUID id, UUID token) {
        return finish(id, token, "cancelled", null, null, "cancelled") > 0;
    }

    /** Hands a job back to the queue (a graceful shutdown): the attempt does not count. */
    boolean release(UUID id, UUID token) {
        return jdbc.update("""
                update job set state = 'queued', claim_token = null, worker = null, lease_until = null,
                    attempts = greatest(attempts - 1, 0), message = 'handed back by a stopping instance'
                where id = ? and claim_token = ? and state = 'running'""", id, token) > 0;
    }

    private int finish(UUID id, UUID token, String state, String result, JsonNode error, String message) {
        return jdbc.update("""
                update job set state = ?, result = ?, error = ?::jsonb, finished_at = now(), claim_token = null,
                    lease_until = null, progress = case when ? = 'succeeded' then 1 else progress end,
                    message = coalesce(?, message)
                where id = ? and claim_token = ? and state = 'running'""", state, result,
                error == null ? null : JSON.writeValueAsString(error), state, message, id, token);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static final RowMapper<Job> MAPPER = Jobs::map;

    private static Job map(ResultSet rs, int n) throws SQLException {
        String error = rs.getString(11);
        return new Job(rs.getObject(1, UUID.class), rs.getString(2), (Long) rs.getObject(3),
                JSON.readTree(rs.getString(4)), Job.State.parse(rs.getString(5)), rs.getDouble(6), rs.getString(7),
                rs.getInt(8), rs.getBoolean(9), rs.getString(10), error == null ? null : JSON.readTree(error),
                instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
