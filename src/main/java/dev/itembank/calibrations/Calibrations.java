package dev.itembank.calibrations;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.api.ApiException;
import dev.itembank.psychometrics.irt.ItemBank;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.util.ConcurrentLruCache;

/** Published calibrations: immutable rows, numbered per benchmark; their item parameters decoded on demand. */
@Repository
public class Calibrations {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = """
            id, benchmark_id, version, dataset_version, job_id, request::text, model, dimensions, dropped_columns,
            held_out_models, diagnostics::text, created_at""";
    private final JdbcTemplate jdbc;
    /** Decoded item parameters of the 16 calibrations used last (calibrations are immutable: never stale). */
    private final ConcurrentLruCache<UUID, ItemBank> items;

    Calibrations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.items = new ConcurrentLruCache<>(16, id -> ItemParameters.decode(
                jdbc.queryForObject("select parameters from calibration where id = ?", byte[].class, id)));
    }

    /**
     * A published calibration without its parameter arrays.
     *
     * @param droppedColumns dataset-version columns that preprocessing left out (stored as flat items)
     */
    public record StoredCalibration(UUID id, long benchmarkId, int version, int datasetVersion, UUID jobId,
            CalibrationSpec spec, String model, int dimensions, int[] droppedColumns, List<String> heldOutModels,
            JsonNode diagnostics, Instant createdAt) {
    }

    /** The fit's parameters and abilities, ready to store. */
    record Fit(ItemBank items, List<String> abilityModels, double[] abilities, JsonNode diagnostics,
            int[] droppedColumns) {
    }

    public Optional<StoredCalibration> find(UUID id) {
        return jdbc.query("select " + COLUMNS + " from calibration where id = ?", MAPPER, id).stream().findFirst();
    }

    public StoredCalibration require(UUID id) {
        return find(id).orElseThrow(() -> ApiException.notFound("calibration", id));
    }

    /** The newest calibration of a benchmark, if any. */
    public Optional<StoredCalibration> latest(long benchmarkId) {
        return jdbc.query("select " + COLUMNS + " from calibration where benchmark_id = ? order by version desc limit 1",
                MAPPER, benchmarkId).stream().findFirst();
    }

    List<StoredCalibration> list(long benchmarkId) {
        return jdbc.query("select " + COLUMNS + " from calibration where benchmark_id = ? order by version", MAPPER,
                benchmarkId);
    }

    /** The item parameters over every column of the pinned dataset version. */
    public ItemBank items(UUID id) {
        return items.get(id);
    }

    /** Abilities by model, D values each. */
    Map<String, double[]> abilities(UUID id, int dimensions) {
        return jdbc.query("select ability_models, abilities from calibration where id = ?", rs -> {
            rs.next();
            String[] models = (String[]) rs.getArray(1).getArray();
            double[] values = ItemParameters.decodeDoubles(rs.getBytes(2));
            Map<String, double[]> byModel = new LinkedHashMap<>();
            for (int l = 0; l < models.length; l++) {
                byModel.put(models[l], Arrays.copyOfRange(values, l * dimensions, (l + 1) * dimensions));
            }
            return byModel;
        }, id);
    }

    /** Inserts a calibration under the benchmark's next version number; call inside the publishing transaction. */
    UUID insert(UUID jobId, long benchmarkId, CalibrationSpec spec, Fit fit) {
        jdbc.query("select id from benchmark where id = ? for update", rs -> null, benchmarkId);
        int version = jdbc.queryForObject("select coalesce(max(version), 0) + 1 from calibration where benchmark_id = ?",
                Integer.class, benchmarkId);
        UUID id = UUID.randomUUID();
        jdbc.update(connection -> {
            var ps = connection.prepareStatement("""
                    insert into calibration (id, benchmark_id, version, dataset_version, job_id, request, model,
                        dimensions, parameters, dropped_columns, ability_models, abilities, held_out_models, diagnostics)
                    values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""");
            ps.setObject(1, id);
            ps.setLong(2, benchmarkId);
            ps.setInt(3, version);
            ps.setInt(4, spec.version());
            ps.setObject(5, jobId);
            ps.setString(6, JSON.writeValueAsString(spec));
            ps.setString(7, spec.model());
            ps.setInt(8, fit.items().dimensions());
            ps.setBytes(9, ItemParameters.encode(fit.items()));
            ps.setArray(10, connection.createArrayOf("integer", Arrays.stream(fit.droppedColumns()).boxed().toArray()));
            ps.setArray(11, connection.createArrayOf("text", fit.abilityModels().toArray()));
            ps.setBytes(12, ItemParameters.encode(fit.abilities()));
            ps.setArray(13, connection.createArrayOf("text", spec.heldOutModels().toArray()));
            ps.setString(14, JSON.writeValueAsString(fit.diagnostics()));
            return ps;
        });
        return id;
    }

    private static final RowMapper<StoredCalibration> MAPPER = Calibrations::map;

    private static StoredCalibration map(ResultSet rs, int n) throws SQLException {
        return new StoredCalibration(rs.getObject(1, UUID.class), rs.getLong(2), rs.getInt(3), rs.getInt(4),
                rs.getObject(5, UUID.class), JSON.readValue(rs.getString(6), CalibrationSpec.class), rs.getString(7),
                rs.getInt(8), ints(rs.getArray(9)), List.of((String[]) rs.getArray(10).getArray()),
                JSON.readTree(rs.getString(11)), rs.getTimestamp(12).toInstant());
    }

    private static int[] ints(Array array) throws SQLException {
        return Arrays.stream((Integer[]) array.getArray()).mapToInt(Integer::intValue).toArray();
    }
}
