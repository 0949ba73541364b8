package dev.itembank.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code itembank session start|answer|show}: an adaptive session driven by lm-eval in batches. Each step writes the
 * batch to run as lm_eval's {@code --samples} JSON ({@code --samples FILE}) and prints one line to script on:
 * {@code session <id> pending <n>} or {@code session <id> done <reason>}.
 */
@Command(name = "session", mixinStandardHelpOptions = true, description = "Adaptive testing sessions, driven by "
        + "lm-eval in batches.", subcommands = {SessionCommand.Start.class, SessionCommand.Answer.class,
        SessionCommand.Show.class})
final class SessionCommand {

    @CommandLine.ParentCommand
    ItembankCli root;

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a session on a calibration.")
    static final class Start implements Callable<Integer> {
        @CommandLine.ParentCommand
        SessionCommand session;

        @Option(names = "--calibration", required = true, description = "the calibration's id")
        String calibration;

        @Option(names = "--model", required = true, description = "the model being tested")
        String model;

        @Option(names = "--batch-size", defaultValue = "10", description = "items per batch")
        int batchSize;

        @Option(names = "--max-items", description = "the most items (default: 50 per scenario)")
        Integer maxItems;

        @Option(names = "--standard-error", description = "stop when the ability's standard error is at most this")
        Double standardError;

        @Option(names = "--interval-half-width", description = "stop when the overall interval's half-width is at "
                + "most this")
        Double intervalHalfWidth;

        @Option(names = "--seed", defaultValue = "0", description = "seed of the randomesque draws")
        long seed;

        @Option(names = "--samples", description = "write the batch as lm_eval --samples JSON to this file")
        Path samples;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> stop = new LinkedHashMap<>();
            if (maxItems != null) {
                stop.put("maxItems", maxItems);
            }
            if (standardError != null) {
                stop.put("standardError", standardError);
            }
            if (intervalHalfWidth != null) {
                stop.put("intervalHalfWidth", intervalHalfWidth);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", model);
            body.put("batchSize", batchSize);
            body.put("stop", stop);
            body.put("seed", seed);
            ApiClient api = session.root.client();
            JsonNode step = ApiClient.JSON.readTree(api.post("/api/v1/calibrations/" + ItembankCli.encode(calibration)
                    + "/sessions", "application/json", ApiClient.JSON.writeValueAsBytes(body)));
            return report(session.root, api, step, samples);
        }
    }

    @Command(name = "answer", mixinStandardHelpOptions = true, description = "Answer the pending batch with the "
            + "folder lm_eval wrote for it; write the next batch.")
    static final class Answer implements Callable<Integer> {
        @CommandLine.ParentCommand
        SessionCommand session;

        @Parameters(index = "0", paramLabel = "ID", description = "the session's id")
        String id;

        @Parameters(index = "1", paramLabel = "DIR", description = "the lm_eval --output_path folder of the batch")
        Path folder;

        @Option(names = "--samples", description = "write the next batch as lm_eval --samples JSON to this file")
        Path samples;

        @Override
        public Integer call() throws IOException {
            ApiClient api = session.root.client();
            JsonNode step = ApiClient.JSON.readTree(api.post("/api/v1/sessions/" + ItembankCli.encode(id)
                    + "/answers", "application/gzip", FolderArchive.tarGz(folder)));
            return report(session.root, api, step, samples);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A session's estimate and ability.")
    static final class Show implements Callable<Integer> {
        @CommandLine.ParentCommand
        SessionCommand session;

        @Parameters(paramLabel = "ID", description = "the session's id")
        String id;

        @CommandLine.Mixin
        ItembankCli.JsonOutput output;

        @Override
        public Integer call() throws IOException {
            String body = session.root.client().get("/api/v1/sessions/" + ItembankCli.encode(id), "application/json");
            if (output.printed(session.root.out(), body)) {
                return 0;
            }
            JsonNode view = ApiClient.JSON.readTree(body);
            session.root.out().printf(Locale.ROOT, "session %s of %s: %s, %d items asked, ability %s (SE %s)%n",
                    view.path("id").asString(), view.path("model").asString(), view.path("done").asBoolean()
                    ? "done (" + view.path("reason").asString() + ")" : "running", view.path("asked").size(),
                    view.path("ability").path("theta"), view.path("ability").path("standardError"));
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("scenario", "estimate", "lower", "upper", "answered", "items"));
            view.path("estimate").path("scenarios").properties().forEach(e -> rows.add(row(e.getKey(), e.getValue(),
                    view.path("itemChoice").path(e.getKey()).path("choice").asString(""))));
            rows.add(row("overall", view.path("estimate").path("overall"), ""));
            ItembankCli.table(session.root.out(), rows);
            return 0;
        }

        /** A scenario's row; {@code items}: how its items are chosen (information or random). */
        private static List<String> row(String name, JsonNode part, String items) {
            return List.of(name, ItembankCli.numberOf(part.path("estimate")), ItembankCli.numberOf(part.path("lower")),
                    ItembankCli.numberOf(part.path("upper")), String.valueOf(part.path("answered").asInt()), items);
        }
    }

    /** Prints the step's line and writes the pending batch's --samples JSON. */
    private static int report(ItembankCli root, ApiClient api, JsonNode step, Path samples) throws IOException {
        String id = step.path("id").asString();
        if (step.path("done").asBoolean()) {
            root.out().println("session " + id + " done " + step.path("reason").asString());
            return 0;
        }
        String batch = api.get("/api/v1/sessions/" + ItembankCli.encode(id) + "?format=lm-eval", "application/json");
        if (samples != null) {
            Files.writeString(samples, batch, StandardCharsets.UTF_8);
        } else {
            root.err().println(batch);
        }
        root.out().println("session " + id + " pending " + step.path("items").size());
        return 0;
    }
}
