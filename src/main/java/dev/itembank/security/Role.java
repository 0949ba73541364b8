package dev.itembank.security;

import java.util.Locale;

/** What a key may do; each role includes the ones before it. */
enum Role {
    /** GET everything; ask for estimates. */
    READER,
    /** Also upload results, queue calibrations and subsets, cancel jobs, change benchmarks. */
    WRITER,
    /** Also manage API keys and read the operational endpoints. */
    ADMIN;

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    static Role parse(String text) {
        for (Role role : values()) {
            if (role.code().equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be reader, writer or admin, got '" + text + "'");
    }
}
