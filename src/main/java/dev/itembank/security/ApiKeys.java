package dev.itembank.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** API keys: made from 32 random bytes, stored only as SHA-256 hashes, revoked but never deleted. */
@Repository
class ApiKeys {

    static final String PREFIX = "ib_";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long an authenticated key is trusted without asking the database again (revocations on other replicas
     * take at most this long; on this one they apply at once). */
    static final long TRUST_NANOS = 5_000_000_000L;
    private final JdbcTemplate jdbc;
    private final java.util.Map<String, Trusted> trusted = new java.util.concurrent.ConcurrentHashMap<>();

    private record Trusted(StoredKey key, long until) {
    }

    ApiKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored key, without its secret. */
    record StoredKey(UUID id, String name, Role role, String prefix, Instant createdAt, Instant revokedAt) {
    }

    /** A new key and its secret, which exists only in this answer. */
    record NewKey(StoredKey stored, String key) {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    NewKey create(String name, Role role) {
        return store(name, role, generate());
    }

    /** Stores a given key (the configured first admin key); returns the existing one when it is already stored. */
    NewKey store(String name, Role role, String key) {
        UUID id = UUID.randomUUID();
        String prefix = key.substring(0, Math.min(8, key.length()));
        byte[] hash = hash(key);
        jdbc.update("""
                insert into api_key (id, name, role, key_hash, key_prefix) values (?, ?, ?, ?, ?)
                on conflict (key_hash) do nothing""", id, name, role.code(), hash, prefix);
        return new NewKey(findByHash(hash).orElseThrow(), key);
    }

    /** The active (not revoked) key with this secret. */
    Optional<StoredKey> authenticate(String key) {
        byte[] hash = hash(key);
        String digest = java.util.HexFormat.of().formatHex(hash);
        long now = System.nanoTime();
        Trusted cached = trusted.get(digest);
        if (cached != null && now - cached.until() < 0) {
            return Optional.of(cached.key());
        }
        Optional<StoredKey> found = findByHash(hash).filter(stored -> stored.revokedAt() == null);
        if (found.isPresent()) {
            if (trusted.size() > 10_000) {
                trusted.clear();
            }
            trusted.put(digest, new Trusted(found.get(), now + TRUST_NANOS));
        } else {
            trusted.remove(digest);
        }
        return found;
    }

    List<StoredKey> list() {
        return jdbc.query("select id, name, role, key_prefix, created_at, revoked_at from api_key order by created_at",
                (rs, n) -> map(rs));
    }

    boolean anyActiveAdmin() {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from api_key where role = 'admin' and revoked_at is null)", Boolean.class));
    }

    /** Revokes a key; false when there is no such key. */
    boolean revoke(UUID id) {
        trusted.values().removeIf(entry -> entry.key().id().equals(id));
        return jdbc.update("update api_key set revoked_at = coalesce(revoked_at, now()) where id = ?", id) > 0;
    }

    private Optional<StoredKey> findByHash(byte[] hash) {
        return jdbc.query("""
                select id, name, role, key_prefix, created_at, revoked_at from api_key where key_hash = ?""",
                (rs, n) -> map(rs), (Object) hash).stream().findFirst();
    }

    private static StoredKey map(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.sql.Timestamp revoked = rs.getTimestamp(6);
        return new StoredKey(rs.getObject(1, UUID.class), rs.getString(2), Role.parse(rs.getString(3)),
                rs.getString(4), rs.getTimestamp(5).toInstant(), revoked == null ? null : revoked.toInstant());
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
