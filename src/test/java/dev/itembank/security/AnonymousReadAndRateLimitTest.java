package dev.itembank.security;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.itembank.ItembankApplication;
import dev.itembank.support.Fixtures;
import dev.itembank.support.Http;
import dev.itembank.support.IsolatedDatabase;
import dev.itembank.support.TestKeys;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A public leaderboard's settings: anonymous reads, and tight per-key limits on uploads. */
class AnonymousReadAndRateLimitTest {

    @Test
    void anonymousClientsReadButDoNotWriteAndUploadsBeyondTheLimitAre429WithRetryAfter() {
        List<String> args = new ArrayList<>(IsolatedDatabase.arguments(IsolatedDatabase.create("public")).stream()
                .filter(arg -> !arg.startsWith("--itembank.security.rate-limits.uploads")).toList());
        args.addAll(List.of("--server.port=0", "--itembank.jobs.enabled=false",
                "--itembank.security.anonymous-read=true",
                "--itembank.security.rate-limits.uploads-per-minute=2"));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ItembankApplication.class)
                .run(args.toArray(String[]::new))) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            Http admin = new Http(port, TestKeys.ADMIN);
            Http anonymous = new Http(port, null);
            assertThat(admin.send("POST", "/api/v1/benchmarks", "application/json", "{\"name\":\"open\"}").statusCode())
                    .isEqualTo(201);
            assertThat(anonymous.get("/api/v1/benchmarks/open").statusCode()).isEqualTo(200);
            assertThat(anonymous.send("POST", "/api/v1/benchmarks/open/results", "text/csv",
                    Fixtures.wmdpSlice(0, 5, 10)).statusCode()).as("anonymous writes stay closed").isEqualTo(401);
            assertThat(anonymous.get("/api/v1/api-keys").statusCode()).isEqualTo(401);
            assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(401);

            for (int k = 0; k < 2; k++) {
                assertThat(admin.send("POST", "/api/v1/benchmarks/open/results", "text/csv",
                        Fixtures.wmdpSlice(k * 5, k * 5 + 5, 10)).statusCode()).isEqualTo(201);
            }
            HttpResponse<String> limited = admin.send("POST", "/api/v1/benchmarks/open/results", "text/csv",
                    Fixtures.wmdpSlice(10, 15, 10));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
            assertThat(Http.json(limited).path("type").asString())
                    .isEqualTo("https://itembank.dev/problems/too-many-requests");
            assertThat(Http.json(admin.get("/api/v1/benchmarks/open")).path("latestVersion").asInt())
                    .as("the refused upload wrote nothing").isEqualTo(2);
            assertThat(admin.get("/api/v1/benchmarks/open/versions").statusCode()).as("reads are not limited")
                    .isEqualTo(200);
        }
    }
}
