package dev.itembank.estimates;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Estimates as published: the submitted answers and the answer given, immutable. */
@Repository
class Estimates {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcTemplate jdbc;

    Estimates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, UUID subset, String model, Map<String, Double> responses, String result) {
        jdbc.update("insert into estimate (id, subset_id, model, responses, result) values (?, ?, ?, ?::jsonb, ?::jsonb)",
                id, subset, model, JSON.writeValueAsString(responses), result);
    }

    /** A listed estimate. */
    record Listed(UUID id, String model, java.time.Instant createdAt, JsonNode overall) {
    }

    /** A subset's estimates, newest first, of one model when {@code model} is given. */
    List<Listed> list(UUID subset, String model, int limit) {
        return jdbc.query("""
                select id, model, created_at, (result -> 'overall')::text from estimate
                where subset_id = ? and (?::text is null or model = ?) order by created_at desc, id limit ?""",
                (rs, n) -> new Listed(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        JSON.readTree(rs.getString(4))), subset, model, model, limit);
    }

    Optional<JsonNode> find(UUID id) {
        return jdbc.query("select result::text from estimate where id = ?", (rs, n) -> JSON.readTree(rs.getString(1)),
                id).stream().findFirst();
    }
}
