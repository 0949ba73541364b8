package dev.itembank.support;

import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Points the application at the run's shared {@link TestDatabase}, so that nothing embedded starts per context. */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase.Connection database = TestDatabase.shared();
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", database.url());
        if (database.username() != null) {
            properties.put("spring.datasource.username", database.username());
        }
        if (database.password() != null) {
            properties.put("spring.datasource.password", database.password());
        }
        properties.putAll(TestKeys.properties());
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("itembankTestDatabase", properties));
    }
}
