package dev.itembank.subsets;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.psychometrics.estimation.EstimationModel;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Published subsets: immutable rows, numbered per benchmark, one per parallel form. */
@Repository
public class Subsets {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = """
            id, benchmark_id, version, dataset_version, calibration_id, job_id, request::text, method,
            parameters::text, seed, form, forms, item_ids, scenarios, columns, weights, diagnostics::text,
            backtest::text, created_at""";
    private final JdbcTemplate jdbc;

    Subsets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A published subset.
     *
     * @param columns the items' columns in the pinned dataset version
     */
    public record StoredSubset(UUID id, long benchmarkId, int version, int datasetVersion, UUID calibration,
            UUID jobId, SubsetSpec spec, String method, JsonNode parameters, long seed, int form, int forms,
            List<String> itemIds, List<String> scenarios, int[] columns, double[] weights, JsonNode diagnostics,
            JsonNode backtest, Instant createdAt) {
    }

    /** One form ready to publish. */
    record Form(String method, JsonNode parameters, List<String> itemIds, List<String> scenarios, int[] columns,
            double[] weights, JsonNode diagnostics, JsonNode backtest, EstimationModel.State estimation) {
    }

    public Optional<StoredSubset> find(UUID id) {
        return jdbc.query("select " + COLUMNS + " from subset where id = ?", MAPPER, id).stream().findFirst();
    }

    public StoredSubset require(UUID id) {
        return find(id).orElseThrow(() -> ApiException.notFound("subset", id));
    }

    /** The fitted estimators of a subset. */
    public EstimationModel.State estimation(UUID id) {
        return JSON.readValue(jdbc.queryForObject("select estimation::text from subset where id = ?", String.class, id),
                EstimationModel.State.class);
    }

    List<StoredSubset> list(long benchmarkId) {
        return jdbc.query("select " + COLUMNS + " from subset where benchmark_id = ? order by version", MAPPER,
                benchmarkId);
    }

    /** The ids of the forms made by one job, in form order. */
    List<UUID> forms(UUID jobId) {
        return jdbc.queryForList("select id from subset where job_id = ? order by form", UUID.class, jobId);
    }

    /**
     * The subset to use now: the newest first form of the benchmark, with the requested budget when one is given.
     */
    Optional<StoredSubset> recommended(long benchmarkId, Integer itemsPerScenario, Integer totalItems) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from subset where benchmark_id = ? and form = 1");
        List<Object> args = new ArrayList<>(List.of(benchmarkId));
        if (itemsPerScenario != null) {
            sql.append(" and items_per_scenario = ?");
            args.add(itemsPerScenario);
        }
        if (totalItems != null) {
            sql.append(" and items_per_scenario is null and total_items = ?");
            args.add(totalItems);
        }
        sql.append(" order by version desc limit 1");
        return jdbc.query(sql.toString(), MAPPER, args.toArray()).stream().findFirst();
    }

    /** Inserts the forms of one job under the benchmark's next version numbers; call inside the publication. */
    List<UUID> insert(UUID jobId, long benchmarkId, int datasetVersion, SubsetSpec spec, List<Form> forms) {
        jdbc.query("select id from benchmark where id = ? for update", rs -> null, benchmarkId);
        int next = jdbc.queryForObject("select coalesce(max(version), 0) + 1 from subset where benchmark_id = ?",
                Integer.class, benchmarkId);
        List<UUID> ids = new ArrayList<>();
        for (int f = 0; f < forms.size(); f++) {
            Form form = forms.get(f);
            UUID id = UUID.randomUUID();
            int version = next + f;
            int number = f + 1;
            jdbc.update(connection -> {
                var ps = connection.prepareStatement("""
                        insert into subset (id, benchmark_id, version, dataset_version, calibration_id, job_id, request,
                            method, parameters, seed, items_per_scenario, total_items, form, forms, item_ids,
                            scenarios, columns, weights, diagnostics, backtest, estimation)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb,
                            ?::jsonb)""");
                ps.setObject(1, id);
                ps.setLong(2, benchmarkId);
                ps.setInt(3, version);
                ps.setInt(4, datasetVersion);
                ps.setObject(5, spec.calibration());
                ps.setObject(6, jobId);
                ps.setString(7, JSON.writeValueAsString(spec));
                ps.setString(8, form.method());
                ps.setString(9, JSON.writeValueAsString(form.parameters()));
                ps.setLong(10, spec.seed());
                ps.setObject(11, spec.itemsPerScenario());
                ps.setInt(12, form.columns().length);
                ps.setInt(13, number);
                ps.setInt(14, forms.size());
                ps.setArray(15, connection.createArrayOf("text", form.itemIds().toArray()));
                ps.setArray(16, connection.createArrayOf("text", form.scenarios().toArray()));
                ps.setArray(17, connection.createArrayOf("integer", Arrays.stream(form.columns()).boxed().toArray()));
                ps.setArray(18, connection.createArrayOf("float8", Arrays.stream(form.weights()).boxed().toArray()));
                ps.setString(19, JSON.writeValueAsString(form.diagnostics()));
                ps.setString(20, JSON.writeValueAsString(form.backtest()));
                ps.setString(21, JSON.writeValueAsString(form.estimation()));
                return ps;
            });
            ids.add(id);
        }
        return ids;
    }

    private static final RowMapper<StoredSubset> MAPPER = Subsets::map;

    private static StoredSubset map(ResultSet rs, int n) throws SQLException {
        return new StoredSubset(rs.getObject(1, UUID.class), rs.getLong(2), rs.getInt(3), rs.getInt(4),
                rs.getObject(5, UUID.class), rs.getObject(6, UUID.class), JSON.readValue(rs.getString(7),
                SubsetSpec.class), rs.getString(8), JSON.readTree(rs.getString(9)), rs.getLong(10), rs.getInt(11),
                rs.getInt(12), List.of((String[]) rs.getArray(13).getArray()),
                List.of((String[]) rs.getArray(14).getArray()),
                Arrays.stream((Integer[]) rs.getArray(15).getArray()).mapToInt(Integer::intValue).toArray(),
                Arrays.stream((Double[]) rs.getArray(16).getArray()).mapToDouble(Double::doubleValue).toArray(),
                JSON.readTree(rs.getString(17)), JSON.readTree(rs.getString(18)), rs.getTimestamp(19).toInstant());
    }
}
