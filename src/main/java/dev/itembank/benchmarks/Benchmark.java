package dev.itembank.benchmarks;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A benchmark: a named item catalogue with a sequence of immutable dataset versions. */
@Entity
@Table(name = "benchmark")
class Benchmark {

    /**
     * 1-64 lower-case letters, digits, '.', '_' and '-', starting and ending with a letter or digit, no "..", and
     * not a word the API gives a meaning in paths ({@code latest}, {@code recommended}).
     */
    static final String NAME_PATTERN = "(?!(?:latest|recommended)$)(?!.*\\.\\.)[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, updatable = false)
    private String name;

    private String description;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "latest_version", nullable = false)
    private int latestVersion;

    protected Benchmark() {
    }

    Benchmark(String name, String description) {
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("benchmark name must match " + NAME_PATTERN + ", got " + name);
        }
        this.name = name;
        this.description = description;
        this.createdAt = Instant.now();
    }

    /** Claims the next version number; call only while holding the benchmark's row lock. */
    int nextVersion() {
        return ++latestVersion;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    Instant createdAt() {
        return createdAt;
    }

    int latestVersion() {
        return latestVersion;
    }
}
