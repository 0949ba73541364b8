package dev.itembank.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The append-only item catalogue of each benchmark, stored in blocks of {@value #BLOCK} items
 * ({@code item_block}): always read whole, changed in memory and written back block by block.
 */
@Repository
class ItemCatalog {

    static final int BLOCK = 1024;
    private final JdbcTemplate jdbc;

    ItemCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** All items of a benchmark, by ordinal (index i holds ordinal i). */
    List<CatalogItem> load(long benchmarkId) {
        List<CatalogItem> items = new ArrayList<>();
        jdbc.query("""
                select block, item_ids, scenarios, subscenarios, texts, metadata, declared
                from item_block where benchmark_id = ? order by block""", rs -> {
            int first = rs.getInt(1) * BLOCK;
            String[] ids = (String[]) rs.getArray(2).getArray();
            String[] scenarios = (String[]) rs.getArray(3).getArray();
            String[] subscenarios = (String[]) rs.getArray(4).getArray();
            String[] texts = (String[]) rs.getArray(5).getArray();
            String[] metadata = (String[]) rs.getArray(6).getArray();
            Boolean[] declared = (Boolean[]) rs.getArray(7).getArray();
            if (items.size() != first) {
                throw new IllegalStateException("item catalogue of benchmark " + benchmarkId + " has a gap at "
                        + items.size());
            }
            for (int i = 0; i < ids.length; i++) {
                items.add(new CatalogItem(first + i, ids[i], scenarios[i], subscenarios[i], texts[i], metadata[i],
                        declared[i]));
            }
        }, benchmarkId);
        return items;
    }

    int count(long benchmarkId) {
        Integer count = jdbc.queryForObject(
                "select coalesce(sum(cardinality(item_ids)), 0) from item_block where benchmark_id = ?",
                Integer.class, benchmarkId);
        return count == null ? 0 : count;
    }

    static Map<String, CatalogItem> byId(List<CatalogItem> items) {
        Map<String, CatalogItem> byId = new HashMap<>(items.size() * 2);
        items.forEach(item -> byId.put(item.itemId(), item));
        return byId;
    }

    /** Writes back the blocks of {@code catalogue} that hold any of the {@code changed} items. */
    void save(long benchmarkId, List<CatalogItem> catalogue, List<CatalogItem> changed) {
        TreeSet<Integer> blocks = new TreeSet<>();
        changed.forEach(item -> blocks.add(item.ordinal() / BLOCK));
        if (blocks.isEmpty()) {
            return;
        }
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement ps = connection.prepareStatement("""
                    insert into item_block (benchmark_id, block, item_ids, scenarios, subscenarios, texts, metadata,
                        declared) values (?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (benchmark_id, block) do update set item_ids = excluded.item_ids,
                        scenarios = excluded.scenarios, subscenarios = excluded.subscenarios, texts = excluded.texts,
                        metadata = excluded.metadata, declared = excluded.declared""")) {
                for (int block : blocks) {
                    bindBlock(connection, ps, benchmarkId, block, catalogue);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static void bindBlock(Connection connection, PreparedStatement ps, long benchmarkId, int block,
            List<CatalogItem> catalogue) throws SQLException {
        List<CatalogItem> items = catalogue.subList(block * BLOCK, Math.min(catalogue.size(), (block + 1) * BLOCK));
        ps.setLong(1, benchmarkId);
        ps.setInt(2, block);
        ps.setArray(3, connection.createArrayOf("text", items.stream().map(CatalogItem::itemId).toArray()));
        ps.setArray(4, connection.createArrayOf("text", items.stream().map(CatalogItem::scenario).toArray()));
        ps.setArray(5, connection.createArrayOf("text", items.stream().map(CatalogItem::subscenario).toArray()));
        ps.setArray(6, connection.createArrayOf("text", items.stream().map(CatalogItem::text).toArray()));
        ps.setArray(7, connection.createArrayOf("text", items.stream().map(CatalogItem::metadataJson).toArray()));
        ps.setArray(8, connection.createArrayOf("boolean", items.stream().map(CatalogItem::declared).toArray()));
    }

    /**
     * Ordinals of {@code itemIds} in the catalogue, adding the unknown ones as undeclared items grouped as their
     * hint says (a harness task, under its group), else in the benchmark's name, with the hint's task and doc id as
     * metadata. {@code catalogue} is extended in place and the new items are saved.
     */
    int[] resolve(long benchmarkId, String benchmarkName, List<String> itemIds,
            Map<String, ResultsUpload.ItemHint> hints, List<CatalogItem> catalogue) {
        Map<String, CatalogItem> byId = byId(catalogue);
        int[] ordinals = new int[itemIds.size()];
        List<CatalogItem> added = new ArrayList<>();
        for (int c = 0; c < ordinals.length; c++) {
            CatalogItem item = byId.get(itemIds.get(c));
            if (item == null) {
                ResultsUpload.ItemHint hint = hints.get(itemIds.get(c));
                item = hint == null
                        ? new CatalogItem(catalogue.size(), itemIds.get(c), benchmarkName, null, null, null, false)
                        : new CatalogItem(catalogue.size(), itemIds.get(c), hint.scenario(), hint.subscenario(), null,
                                LmEvalCoordinates.metadata(hint.task(), hint.docId()), false);
                catalogue.add(item);
                byId.put(item.itemId(), item);
                added.add(item);
            }
            ordinals[c] = item.ordinal();
        }
        save(benchmarkId, catalogue, added);
        return ordinals;
    }
}
