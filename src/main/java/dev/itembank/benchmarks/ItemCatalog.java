package dev.itembank.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The append-only item catalogue of each benchmark ({@code item} table), read and extended in bulk. */
@Repository
class ItemCatalog {

    private final JdbcTemplate jdbc;

    ItemCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** All items of a benchmark, by ordinal (index i holds ordinal i). */
    List<CatalogItem> load(long benchmarkId) {
        return jdbc.query("""
                select ordinal, item_id, scenario, subscenario, text, metadata::text, declared
                from item where benchmark_id = ? order by ordinal""",
                (rs, n) -> new CatalogItem(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getBoolean(7)),
                benchmarkId);
    }

    int count(long benchmarkId) {
        Integer count = jdbc.queryForObject("select count(*) from item where benchmark_id = ?", Integer.class,
                benchmarkId);
        return count == null ? 0 : count;
    }

    static Map<String, CatalogItem> byId(List<CatalogItem> items) {
        Map<String, CatalogItem> byId = new HashMap<>(items.size() * 2);
        items.forEach(item -> byId.put(item.itemId(), item));
        return byId;
    }

    void insert(long benchmarkId, List<CatalogItem> items) {
        if (items.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                insert into item (benchmark_id, ordinal, item_id, scenario, subscenario, text, metadata, declared)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)""", items, 1000, (ps, item) -> {
            ps.setLong(1, benchmarkId);
            ps.setInt(2, item.ordinal());
            ps.setString(3, item.itemId());
            ps.setString(4, item.scenario());
            ps.setString(5, item.subscenario());
            ps.setString(6, item.text());
            ps.setString(7, item.metadataJson());
            ps.setBoolean(8, item.declared());
        });
    }

    void update(long benchmarkId, List<CatalogItem> items) {
        if (items.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                update item set scenario = ?, subscenario = ?, text = ?, metadata = ?::jsonb, declared = true
                where benchmark_id = ? and ordinal = ?""", items, 1000, (ps, item) -> {
            ps.setString(1, item.scenario());
            ps.setString(2, item.subscenario());
            ps.setString(3, item.text());
            ps.setString(4, item.metadataJson());
            ps.setLong(5, benchmarkId);
            ps.setInt(6, item.ordinal());
        });
    }

    /**
     * Ordinals of {@code itemIds} in the catalogue, adding the unknown ones as undeclared items whose scenario is
     * the benchmark's name. {@code catalogue} is updated in place.
     */
    int[] resolve(long benchmarkId, String benchmarkName, List<String> itemIds, List<CatalogItem> catalogue) {
        Map<String, CatalogItem> byId = byId(catalogue);
        int[] ordinals = new int[itemIds.size()];
        List<CatalogItem> added = new ArrayList<>();
        for (int c = 0; c < ordinals.length; c++) {
            CatalogItem item = byId.get(itemIds.get(c));
            if (item == null) {
                item = new CatalogItem(catalogue.size(), itemIds.get(c), benchmarkName, null, null, null, false);
                catalogue.add(item);
                byId.put(item.itemId(), item);
                added.add(item);
            }
            ordinals[c] = item.ordinal();
        }
        insert(benchmarkId, added);
        return ordinals;
    }
}
