package dev.itembank.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a key may do. {@code reader < writer < admin} each include the ones before; {@code metrics} may only scrape
 * {@code /actuator/prometheus} (what a Prometheus server needs, and nothing else), and admin includes it too.
 */
enum Role {
    /** GET everything; ask for estimates. */
    READER,
    /** Also upload results, queue calibrations and subsets, cancel jobs, change benchmarks. */
    WRITER,
    /** Also manage API keys and read the operational endpoints. */
    ADMIN,
    /** Only the Prometheus scrape. */
    METRICS;

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The roles this one includes, itself among them. */
    Set<Role> implied() {
        return switch (this) {
            case READER -> EnumSet.of(READER);
            case WRITER -> EnumSet.of(READER, WRITER);
            case ADMIN -> EnumSet.allOf(Role.class);
            case METRICS -> EnumSet.of(METRICS);
        };
    }

    boolean includes(Role other) {
        return implied().contains(other);
    }

    /** Spring Security's authority for the role ({@code ROLE_WRITER}). */
    String authority() {
        return "ROLE_" + name();
    }

    /** The authorities of a key with this role: its own and those of every role it includes. */
    List<GrantedAuthority> authorities() {
        return implied().stream().<GrantedAuthority>map(role -> new SimpleGrantedAuthority(role.authority())).toList();
    }

    static Role parse(String text) {
        for (Role role : values()) {
            if (role.code().equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be reader, writer, admin or metrics, got '" + text + "'");
    }
}
