package dev.itembank.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/** With {@code spring.datasource.url} set, nothing embedded starts; this only says which database is in use. */
@Configuration(proxyBeanMethods = false)
@Conditional(ExternalDatabaseConfigured.class)
class ExternalDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ExternalDatabaseConfiguration.class);
    private final Environment environment;

    ExternalDatabaseConfiguration(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationStartedEvent.class)
    void reportDatabase() {
        String url = environment.getProperty(ExternalDatabaseConfigured.URL_PROPERTY, "");
        log.info("Database: external PostgreSQL at {} (no embedded server started)", withoutQuery(url));
    }

    /** Drops the query string, where credentials may be passed, before the URL is logged. */
    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
