package dev.itembank.budget;

import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import dev.itembank.psychometrics.evaluation.BudgetCurve;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The stored curves, one per benchmark version (a second job for the same version keeps the first curve). */
@Repository
class BudgetCurves {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcTemplate jdbc;

    BudgetCurves(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<BudgetCurve.Curve> find(long benchmarkId, int version) {
        return jdbc.query("select curve::text from budget_curve where benchmark_id = ? and dataset_version = ?",
                (rs, row) -> JSON.readValue(rs.getString(1), BudgetCurve.Curve.class), benchmarkId, version)
                .stream().findFirst();
    }

    void insert(long benchmarkId, int version, java.util.UUID job, BudgetCurve.Curve curve) {
        jdbc.update("insert into budget_curve (benchmark_id, dataset_version, job_id, curve) values (?, ?, ?, "
                + "?::jsonb) on conflict do nothing", benchmarkId, version, job, JSON.writeValueAsString(curve));
    }
}
