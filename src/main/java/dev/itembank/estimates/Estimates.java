package dev.itembank.estimates;

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

    Optional<JsonNode> find(UUID id) {
        return jdbc.query("select result::text from estimate where id = ?", (rs, n) -> JSON.readTree(rs.getString(1)),
                id).stream().findFirst();
    }
}
