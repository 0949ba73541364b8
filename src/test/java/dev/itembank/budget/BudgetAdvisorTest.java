package dev.itembank.budget;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IntegrationTest;
import dev.itembank.support.JobWaiter;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget advisor over HTTP: a 202 and a job the first time, the advice from the stored curve after. */
@IntegrationTest
class BudgetAdvisorTest {

    @LocalServerPort
    int port;

    @Test
    void queuesTheBacktestOnceThenAdvisesTheSmallestBudgetThatMeetsTheTarget() {
        Http http = new Http(port);
        String benchmark = "budget-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/api/v1/benchmarks/" + benchmark;
        http.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"" + benchmark + "\"}");
        assertThat(http.send("POST", base + "/results", "text/csv", Fixtures.wmdpSlice(0, 64, 400)).statusCode())
                .isEqualTo(201);

        HttpResponse<String> bad = http.get(base + "/budget?targetError=0");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(Http.json(bad).path("parameter").asString()).isEqualTo("targetError");
        assertThat(http.get("/api/v1/benchmarks/no-such-benchmark/budget?targetError=0.02").statusCode())
                .isEqualTo(404);

        HttpResponse<String> first = http.get(base + "/budget?targetError=0.04");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String job = Http.json(first).path("href").asString();
        assertThat(first.headers().firstValue("Location")).hasValue(job);
        HttpResponse<String> again = http.get(base + "/budget?targetError=0.02");
        if (again.statusCode() == 202) {
            assertThat(Http.json(again).path("href").asString()).as("joins the running job").isEqualTo(job);
        }
        JsonNode finished = JobWaiter.succeeded(http, job, Duration.ofMinutes(3));
        assertThat(finished.path("type").asString()).isEqualTo("budget");

        JsonNode advice = Http.json(http.get(base + "/budget?targetError=0.04"));
        assertThat(advice.path("benchmark").asString()).isEqualTo(benchmark);
        assertThat(advice.path("version").asInt()).isEqualTo(1);
        JsonNode curve = advice.path("curve");
        assertThat(curve.size()).isGreaterThanOrEqualTo(5);
        int previous = 0;
        for (JsonNode point : curve) {
            assertThat(point.path("itemsPerScenario").asInt()).isGreaterThan(previous).isLessThan(400);
            previous = point.path("itemsPerScenario").asInt();
        }
        // the advice is the first point of the curve whose every scenario meets the target
        Integer expected = null;
        for (JsonNode point : curve) {
            double worst = 0;
            for (JsonNode mae : point.path("maeByScenario")) {
                worst = Math.max(worst, mae.asDouble());
            }
            if (worst <= 0.04) {
                expected = point.path("itemsPerScenario").asInt();
                break;
            }
        }
        assertThat(expected).as("some budget up to 300 items meets 0.04 on 64 models").isNotNull();
        assertThat(advice.path("itemsPerScenario").asInt()).isEqualTo(expected);
        assertThat(advice.path("met").asBoolean()).isTrue();
        assertThat(advice.path("expectedMae").asDouble()).isLessThanOrEqualTo(0.04);

        JsonNode unreachable = Http.json(http.get(base + "/budget?targetError=0.0001"));
        assertThat(unreachable.path("itemsPerScenario").isNull()).isTrue();
        assertThat(unreachable.path("met").asBoolean()).isFalse();
    }
}
