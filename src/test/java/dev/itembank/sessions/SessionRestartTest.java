package dev.itembank.sessions;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IsolatedDatabase;
import dev.itembank.support.JobWaiter;
import dev.itembank.support.TestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session survives a restart: started and half answered on one instance, it is continued on another instance of
 * the service on the same database, and asks exactly what an uninterrupted session with the same seed and answers
 * asks. A session stored by the release before item choice per scenario (its settings without {@code itemChoice})
 * keeps choosing every item by information after the restart, as it began.
 */
class SessionRestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aSessionStartedBeforeARestartIsFinishedAfterIt() {
        TestDatabase.Connection database = IsolatedDatabase.create("sessions");
        List<String[]> matrix = Fixtures.wmdpMatrix();
        Map<String, Double> answers = new HashMap<>();
        String model = matrix.get(5)[0];
        for (int c = 1; c <= 400; c++) {
            answers.put(matrix.get(0)[c], Double.parseDouble(matrix.get(5)[c]));
        }
        String body = "{\"model\":\"" + model + "\",\"batchSize\":5,\"stop\":{\"maxItems\":20},\"seed\":3}";
        String calibration;
        String href;
        String legacyHref;
        List<String> asked = new ArrayList<>();
        try (ConfigurableApplicationContext first = start(database)) {
            Http http = new Http(port(first));
            assertThat(http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"restart\"}")
                    .statusCode()).isEqualTo(201);
            assertThat(http.send("POST", "/api/v1/benchmarks/restart/results", "text/csv",
                    Fixtures.wmdpSlice(0, 40, 400)).statusCode()).isEqualTo(201);
            HttpResponse<String> queued = http.send("POST", "/api/v1/benchmarks/restart/calibrations",
                    "application/json", "{\"model\":\"1pl\",\"heldOutModels\":[\"" + model + "\"]}");
            String result = JobWaiter.succeeded(http, queued.headers().firstValue("Location").orElseThrow(),
                    Duration.ofMinutes(3)).path("result").asString();
            calibration = result.substring(result.lastIndexOf('/') + 1);
            JsonNode step = Http.json(http.send("POST", "/api/v1/calibrations/" + calibration + "/sessions",
                    "application/json", body));
            href = step.path("href").asString();
            step = answer(http, href, step, answers, asked);
            assertThat(step.path("items")).hasSize(5);
            JsonNode old = Http.json(http.send("POST", "/api/v1/calibrations/" + calibration + "/sessions",
                    "application/json", body.replace("\"seed\":3", "\"seed\":4")));
            legacyHref = old.path("href").asString();
            answer(http, legacyHref, old, answers, new ArrayList<>());
            // as the release before stored it: settings without an item choice
            assertThat(first.getBean(JdbcTemplate.class).update("update adaptive_session set spec = spec - "
                    + "'itemChoice' where id = ?::uuid", legacyHref.substring(legacyHref.lastIndexOf('/') + 1)))
                    .isEqualTo(1);
        }
        try (ConfigurableApplicationContext second = start(database)) {
            Http http = new Http(port(second));
            JsonNode session = Http.json(http.get(href));
            assertThat(session.path("asked")).as("5 answered, 5 pending").hasSize(10);
            JsonNode step = JSON.createObjectNode().set("items", session.path("items"));
            while (!step.path("done").asBoolean()) {
                step = answer(http, href, step, answers, asked);
            }
            assertThat(step.path("reason").asString()).isEqualTo("maxItems");
            assertThat(asked).hasSize(20).doesNotHaveDuplicates();

            List<String> uninterrupted = new ArrayList<>();
            JsonNode fresh = Http.json(http.send("POST", "/api/v1/calibrations/" + calibration + "/sessions",
                    "application/json", body));
            String freshHref = fresh.path("href").asString();
            while (!fresh.path("done").asBoolean()) {
                fresh = answer(http, freshHref, fresh, answers, uninterrupted);
            }
            assertThat(asked).isEqualTo(uninterrupted);
            assertThat(Http.json(http.get(freshHref)).path("settings").path("itemChoice").asString())
                    .isEqualTo("per-scenario");
            Http.json(http.get(freshHref)).path("itemChoice").forEach(choice -> assertThat(
                    choice.path("randomError").isNumber()).as("simulated both ways").isTrue());

            JsonNode legacy = Http.json(http.get(legacyHref));
            assertThat(legacy.path("settings").path("itemChoice").isNull()
                    || legacy.path("settings").path("itemChoice").isMissingNode()).isTrue();
            assertThat(legacy.path("itemChoice").properties()).isNotEmpty();
            legacy.path("itemChoice").forEach(choice -> {
                assertThat(choice.path("choice").asString()).isEqualTo("information");
                assertThat(choice.path("randomError").isNumber()).as("never simulated at random").isFalse();
            });
            JsonNode legacyStep = JSON.createObjectNode().set("items", legacy.path("items"));
            List<String> legacyAsked = new ArrayList<>();
            while (!legacyStep.path("done").asBoolean()) {
                legacyStep = answer(http, legacyHref, legacyStep, answers, legacyAsked);
            }
            assertThat(legacyStep.path("reason").asString()).isEqualTo("maxItems");
        }
    }

    private static JsonNode answer(Http http, String href, JsonNode step, Map<String, Double> answers,
            List<String> asked) {
        Map<String, Double> batch = new HashMap<>();
        step.path("items").forEach(item -> {
            asked.add(item.asString());
            batch.put(item.asString(), answers.get(item.asString()));
        });
        HttpResponse<String> response = http.send("POST", href + "/answers", "application/json",
                JSON.writeValueAsString(Map.of("responses", batch)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response);
    }

    private static ConfigurableApplicationContext start(TestDatabase.Connection database) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--itembank.jobs.poll-interval=200ms"));
        args.addAll(IsolatedDatabase.arguments(database));
        return new SpringApplicationBuilder(ItembankApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
