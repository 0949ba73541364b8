package dev.itembank.benchmarks;

import java.sql.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Model metadata per benchmark ({@code model_info}): release dates, sizes, families, reported scores. */
@Repository
class ModelCatalog {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcTemplate jdbc;

    ModelCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    Views.ModelsUpdate upsert(long benchmarkId, String benchmark, List<CatalogCsvParser.ModelInfo> models) {
        Set<String> existing = new HashSet<>(jdbc.queryForList(
                "select model from model_info where benchmark_id = ?", String.class, benchmarkId));
        jdbc.batchUpdate("""
                insert into model_info (benchmark_id, model, released, parameters, family, scores, metadata)
                values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)
                on conflict (benchmark_id, model) do update set released = excluded.released,
                    parameters = excluded.parameters, family = excluded.family, scores = excluded.scores,
                    metadata = excluded.metadata, updated_at = now()""", models, 500, (ps, model) -> {
            ps.setLong(1, benchmarkId);
            ps.setString(2, model.model());
            ps.setDate(3, model.released() == null ? null : Date.valueOf(model.released()));
            ps.setObject(4, model.parameters());
            ps.setString(5, model.family());
            ps.setString(6, model.scores().isEmpty() ? null : JSON.writeValueAsString(model.scores()));
            ps.setString(7, model.metadata().isEmpty() ? null : JSON.writeValueAsString(model.metadata()));
        });
        int updated = (int) models.stream().filter(model -> existing.contains(model.model())).count();
        int total = jdbc.queryForObject("select count(*) from model_info where benchmark_id = ?", Integer.class,
                benchmarkId);
        return new Views.ModelsUpdate(benchmark, total, models.size() - updated, updated);
    }

    List<Views.ModelInfoView> list(long benchmarkId) {
        return jdbc.query("""
                select model, released, parameters, family, scores::text, metadata::text
                from model_info where benchmark_id = ? order by model""", (rs, n) -> {
            Date released = rs.getDate(2);
            return new Views.ModelInfoView(rs.getString(1), released == null ? null : released.toLocalDate(),
                    (Double) rs.getObject(3), rs.getString(4), json(rs.getString(5), new TypeReference<>() { }),
                    json(rs.getString(6), new TypeReference<>() { }));
        }, benchmarkId);
    }

    private static <T> Map<String, T> json(String text, TypeReference<Map<String, T>> type) {
        return text == null ? null : JSON.readValue(text, type);
    }
}
