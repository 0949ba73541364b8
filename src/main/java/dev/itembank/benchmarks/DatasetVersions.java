package dev.itembank.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.itembank.api.DamagedDataException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Dataset versions and the packed model rows they share ({@code dataset_version}, {@code model_row}). */
@Repository
class DatasetVersions {

    private static final int CHUNK = 64;
    private final JdbcTemplate jdbc;

    DatasetVersions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored version; {@code rowIds} in row order. */
    record StoredVersion(long benchmarkId, int version, long[] rowIds, VersionSnapshot snapshot, boolean binaryOnly,
            List<String> addedModels, List<String> replacedModels, String reason, String contentHash,
            Instant createdAt) {
    }

    /** What a version needs to know of each of its rows without reading the cells. */
    record RowInfo(long id, String model, int answered, Double meanScore, byte[] contentHash, short encoding) {
    }

    /** A row with its cells, in the benchmark's ordinal space. */
    record StoredRow(long id, String model, PackedRow cells) {
    }

    Optional<StoredVersion> find(long benchmarkId, int version) {
        return jdbc.query("select * from dataset_version where benchmark_id = ? and version = ?",
                (rs, n) -> version(rs), benchmarkId, version).stream().findFirst();
    }

    List<StoredVersion> list(long benchmarkId) {
        return jdbc.query("select * from dataset_version where benchmark_id = ? order by version",
                (rs, n) -> version(rs), benchmarkId);
    }

    void insert(StoredVersion v, int modelCount) {
        VersionSnapshot.Coded scenarios = VersionSnapshot.Coded.of(v.snapshot().scenarios());
        VersionSnapshot.Coded subscenarios = VersionSnapshot.Coded.of(v.snapshot().subscenarios());
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement("""
                    insert into dataset_version (benchmark_id, version, row_ids, columns, scenario_names,
                        column_scenarios, subscenario_names, column_subscenarios, model_count, item_count,
                        binary_only, added_models, replaced_models, reason, content_hash, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
            ps.setLong(1, v.benchmarkId());
            ps.setInt(2, v.version());
            ps.setArray(3, connection.createArrayOf("bigint", Arrays.stream(v.rowIds()).boxed().toArray()));
            ps.setBytes(4, VersionSnapshot.encodeColumns(v.snapshot().columns()));
            ps.setArray(5, connection.createArrayOf("text", scenarios.names()));
            ps.setBytes(6, scenarios.codes());
            ps.setArray(7, connection.createArrayOf("text", subscenarios.names()));
            ps.setBytes(8, subscenarios.codes());
            ps.setInt(9, modelCount);
            ps.setInt(10, v.snapshot().size());
            ps.setBoolean(11, v.binaryOnly());
            ps.setArray(12, connection.createArrayOf("text", v.addedModels().toArray()));
            ps.setArray(13, connection.createArrayOf("text", v.replacedModels().toArray()));
            ps.setString(14, v.reason());
            ps.setString(15, v.contentHash());
            ps.setObject(16, java.sql.Timestamp.from(v.createdAt()));
            return ps;
        });
    }

    /** Inserts packed rows with ids drawn from the sequence first, in one batch; returns the ids in order. */
    long[] insertRows(long benchmarkId, List<String> models, List<RowCodec.Encoded> encoded, List<PackedRow> rows) {
        long[] ids = jdbc.queryForList("select nextval('model_row_id_seq') from generate_series(1, ?)", Long.class,
                models.size()).stream().mapToLong(Long::longValue).toArray();
        List<Integer> indexes = java.util.stream.IntStream.range(0, models.size()).boxed().toList();
        jdbc.batchUpdate("""
                insert into model_row (id, benchmark_id, model, encoding, width, present, cells, answered,
                    mean_score, content_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", indexes, 50, (ps, i) -> {
            RowCodec.Encoded row = encoded.get(i);
            PackedRow cells = rows.get(i);
            double mean = cells.mean();
            ps.setLong(1, ids[i]);
            ps.setLong(2, benchmarkId);
            ps.setString(3, models.get(i));
            ps.setShort(4, row.encoding());
            ps.setInt(5, row.width());
            ps.setBytes(6, row.present());
            ps.setBytes(7, row.cells());
            ps.setInt(8, cells.answered());
            ps.setObject(9, Double.isNaN(mean) ? null : mean);
            ps.setBytes(10, row.contentHash());
        });
        return ids;
    }

    /**
     * Row facts in the order of {@code rowIds}; rows that are gone from storage are a {@link DamagedDataException}
     * naming {@code owner}, never a shorter list.
     */
    List<RowInfo> rowInfos(long[] rowIds, String owner) {
        if (rowIds.length == 0) {
            return List.of();
        }
        List<RowInfo> rows = jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement("""
                    select r.id, r.model, r.answered, r.mean_score, r.content_hash, r.encoding
                    from unnest(?::bigint[]) with ordinality as v(id, position)
                    join model_row r on r.id = v.id order by v.position""");
            ps.setArray(1, connection.createArrayOf("bigint", Arrays.stream(rowIds).boxed().toArray()));
            return ps;
        }, (rs, n) -> new RowInfo(rs.getLong(1), rs.getString(2), rs.getInt(3), (Double) rs.getObject(4),
                rs.getBytes(5), rs.getShort(6)));
        if (rows.size() != rowIds.length) {
            throw new DamagedDataException(owner, (rowIds.length - rows.size()) + " of its " + rowIds.length
                    + " model rows are missing from storage");
        }
        return rows;
    }

    /** Checks a version's stored content hash against its items and rows as read now. */
    static void verify(StoredVersion version, List<String> itemIds, List<RowInfo> rows, String owner) {
        String actual = contentHash(version.snapshot(), itemIds, rows);
        if (!actual.equals(version.contentHash())) {
            throw new DamagedDataException(owner, "its content hash is " + actual + ", not the "
                    + version.contentHash() + " it was written with");
        }
    }

    /** Removes rows that no version references (those of an upload that turned out to change nothing). */
    void deleteRows(long[] rowIds) {
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement("delete from model_row where id = any(?)");
            ps.setArray(1, connection.createArrayOf("bigint", Arrays.stream(rowIds).boxed().toArray()));
            return ps;
        });
    }

    /**
     * Reads rows with their cells in the order of {@code rowIds}, a chunk at a time, handing each to {@code sink}.
     * Each row's cells are checked against the checksum they were stored with, and every row must be there: damage
     * is a {@link DamagedDataException} naming {@code owner}.
     */
    void forEachRow(long[] rowIds, String owner, Consumer<StoredRow> sink) {
        for (int from = 0; from < rowIds.length; from += CHUNK) {
            long[] chunk = Arrays.copyOfRange(rowIds, from, Math.min(rowIds.length, from + CHUNK));
            int[] read = {0};
            jdbc.query(connection -> {
                PreparedStatement ps = connection.prepareStatement("""
                        select r.id, r.model, r.encoding, r.width, r.present, r.cells, r.content_hash
                        from unnest(?::bigint[]) with ordinality as v(id, position)
                        join model_row r on r.id = v.id order by v.position""");
                ps.setArray(1, connection.createArrayOf("bigint", Arrays.stream(chunk).boxed().toArray()));
                return ps;
            }, (ResultSet rs) -> {
                short encoding = rs.getShort(3);
                int width = rs.getInt(4);
                byte[] present = rs.getBytes(5);
                byte[] cells = rs.getBytes(6);
                if (!Arrays.equals(RowCodec.hash(encoding, width, present, cells), rs.getBytes(7))) {
                    throw new DamagedDataException(owner, "the cells of model '" + rs.getString(2)
                            + "' do not match the checksum they were stored with");
                }
                read[0]++;
                sink.accept(new StoredRow(rs.getLong(1), rs.getString(2),
                        RowCodec.decode(encoding, width, present, cells)));
            });
            if (read[0] != chunk.length) {
                throw new DamagedDataException(owner, (chunk.length - read[0]) + " of its model rows are missing "
                        + "from storage");
            }
        }
    }

    /**
     * SHA-256 of a version's content: each column's item id, scenario and sub-scenario, then each row's model
     * name and cell hash, in order. Equal content gives an equal hash.
     */
    static String contentHash(VersionSnapshot snapshot, List<String> itemIds, List<RowInfo> rows) {
        MessageDigest digest = RowCodec.sha256();
        for (int c = 0; c < snapshot.size(); c++) {
            digest.update((itemIds.get(c) + '\0' + snapshot.scenarios()[c] + '\0' + snapshot.subscenarios()[c] + '\n')
                    .getBytes(StandardCharsets.UTF_8));
        }
        for (RowInfo row : rows) {
            digest.update((row.model() + '\0').getBytes(StandardCharsets.UTF_8));
            digest.update(row.contentHash());
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static StoredVersion version(ResultSet rs) throws SQLException {
        int[] columns = VersionSnapshot.decodeColumns(rs.getBytes("columns"));
        String[] scenarios = new VersionSnapshot.Coded(strings(rs.getArray("scenario_names")),
                rs.getBytes("column_scenarios")).decode();
        String[] subscenarios = new VersionSnapshot.Coded(strings(rs.getArray("subscenario_names")),
                rs.getBytes("column_subscenarios")).decode();
        Long[] rowIds = (Long[]) rs.getArray("row_ids").getArray();
        return new StoredVersion(rs.getLong("benchmark_id"), rs.getInt("version"),
                Arrays.stream(rowIds).mapToLong(Long::longValue).toArray(),
                new VersionSnapshot(columns, scenarios, subscenarios), rs.getBoolean("binary_only"),
                List.of(strings(rs.getArray("added_models"))), List.of(strings(rs.getArray("replaced_models"))),
                rs.getString("reason"), rs.getString("content_hash"), rs.getTimestamp("created_at").toInstant());
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }
}
