package dev.itembank.security;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The first admin key: the configured one ({@code ITEMBANK_ADMIN_KEY}) is stored if it is not yet; with none
 * configured, an embedded-mode service that has no admin key makes one and prints it once - it is never shown
 * again, only its hash is kept.
 */
@Component
class AdminKeyBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);
    private final ApiKeys keys;
    private final SecurityProperties properties;
    private final ObjectProvider<EmbeddedPostgres> embedded;

    AdminKeyBootstrap(ApiKeys keys, SecurityProperties properties, ObjectProvider<EmbeddedPostgres> embedded) {
        this.keys = keys;
        this.properties = properties;
        this.embedded = embedded;
    }

    @Override
    public void run(ApplicationArguments args) {
        String configured = properties.adminKey();
        if (configured != null && !configured.isBlank()) {
            keys.store("admin (ITEMBANK_ADMIN_KEY)", Role.ADMIN, configured.strip());
            return;
        }
        if (keys.anyActiveAdmin()) {
            return;
        }
        if (embedded.getIfAvailable() == null) {
            log.warn("No admin API key exists and none is configured: set ITEMBANK_ADMIN_KEY to create one");
            return;
        }
        ApiKeys.NewKey key = keys.create("admin (generated at first start)", Role.ADMIN);
        // printed, not only logged, so that it reaches the console of whoever started the service, once
        System.out.println("""

                ==========================================================================================
                 Itembank generated its first admin API key. It is shown this once; only its hash is kept.
                   %s
                 Send it as 'Authorization: Bearer <key>'; make reader and writer keys with POST /api/v1/api-keys.
                ==========================================================================================
                """.formatted(key.key()));
        log.info("Generated the first admin API key ({}...)", key.stored().prefix());
    }
}
