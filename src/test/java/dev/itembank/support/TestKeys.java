package dev.itembank.support;

import java.util.Map;

/** The admin key every test instance of the service is configured with, and limits that tests never reach. */
public final class TestKeys {

    public static final String ADMIN = "ib_test-admin-key-0123456789abcdefghijklmnop";

    private TestKeys() {
    }

    public static Map<String, String> properties() {
        return Map.of("itembank.security.admin-key", ADMIN,
                "itembank.security.rate-limits.estimates-per-second", "100000",
                "itembank.security.rate-limits.uploads-per-minute", "100000");
    }
}
