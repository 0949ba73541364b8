package dev.itembank.benchmarks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.itembank.api.DamagedDataException;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether the stored dataset versions are whole: the {@code storage} health indicator (part of readiness) is DOWN
 * once damage is found - at start-up, by checking that every row each version references exists, or later, when a
 * read finds rows missing or a checksum that differs ({@link DamagedDataException}). It stays DOWN until the
 * service restarts on repaired data.
 */
@Component("storage")
class StorageIntegrity implements HealthIndicator, ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StorageIntegrity.class);
    private final JdbcTemplate jdbc;
    private final Map<String, String> damaged = new ConcurrentHashMap<>();

    StorageIntegrity(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** At start-up: every version's rows must exist (a truncated or lost table file shows here). */
    @Override
    public void run(ApplicationArguments args) {
        try {
            jdbc.query("""
                    select b.name, v.version, count(*), count(r.id)
                    from dataset_version v join benchmark b on b.id = v.benchmark_id
                    cross join lateral unnest(v.row_ids) as ref(id)
                    left join model_row r on r.id = ref.id
                    group by b.name, v.version
                    having count(r.id) <> count(*)""",
                    (java.sql.ResultSet rs) -> {
                        damaged(new DamagedDataException.DamagedDataDetected(rs.getString(1) + "/versions/"
                                + rs.getInt(2), (rs.getInt(3) - rs.getInt(4)) + " of its " + rs.getInt(3)
                                + " model rows are missing from storage"));
                    });
        } catch (DataAccessException e) {
            damaged(new DamagedDataException.DamagedDataDetected("model_row", "PostgreSQL could not read it: "
                    + e.getMostSpecificCause().getMessage()));
        }
    }

    @EventListener
    void damaged(DamagedDataException.DamagedDataDetected event) {
        if (damaged.putIfAbsent(event.what(), event.detail()) == null) {
            log.error("Damaged data: {}: {}. Readiness is DOWN until the data is restored and the service restarted.",
                    event.what(), event.detail());
        }
    }

    @Override
    public Health health() {
        return damaged.isEmpty() ? Health.up().build() : Health.down().withDetail("damaged", Map.copyOf(damaged))
                .build();
    }
}
