package dev.itembank.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * Itembank's command-line client, in the service's jar: {@code java -jar itembank.jar <verb> ...}. It talks to a
 * running service over its REST API, at {@code ITEMBANK_URL} (default http://localhost:8080) with the key in
 * {@code ITEMBANK_KEY} ({@code --url} and {@code --key} override them). Output is a table, or with {@code --json} the
 * resource as the REST API returns it. Exit codes: 0 done, 1 the service refused or a job failed, 2 bad usage.
 */
@Command(name = "itembank", mixinStandardHelpOptions = true, versionProvider = ItembankCli.Version.class,
        description = "Itembank's command-line client: import lm-eval runs, fetch subsets, estimate, wait for jobs.",
        footer = {"", "Without a verb the jar starts the service (Spring Boot's options apply, e.g. --server.port=9090).",
            "evaluate --help: the offline evaluation command (backtests on a data folder, no service)."},
        subcommands = {ItembankCli.ImportLmEval.class, ItembankCli.SubsetCommand.class, ItembankCli.Estimate.class,
                ItembankCli.JobsCommand.class, SessionCommand.class})
public final class ItembankCli {

    /** The verbs this client answers to (anything else starts the service). */
    public static final Set<String> VERBS = Set.of("import-lm-eval", "subset", "estimate", "jobs", "session");
    /** First arguments that ask for this client's help or version instead of starting the service. */
    public static final Set<String> HELP = Set.of("--help", "-h", "help", "--version", "-V");

    @Option(names = "--url", description = "the service's base URL (default: $ITEMBANK_URL, else "
            + "http://localhost:8080)", scope = CommandLine.ScopeType.INHERIT)
    String url;

    @Option(names = "--key", description = "the API key (default: $ITEMBANK_KEY)", scope = CommandLine.ScopeType.INHERIT)
    String key;

    private final Map<String, String> env;
    private PrintWriter out;
    private PrintWriter err;

    private ItembankCli(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** Runs one command; its exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        ItembankCli root = new ItembankCli(env);
        root.out = out;
        root.err = err;
        CommandLine line = new CommandLine(root);
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ApiClient.ProblemException || e instanceof IOException) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    ApiClient client() {
        String base = url != null ? url : env.getOrDefault("ITEMBANK_URL", "http://localhost:8080");
        return new ApiClient(base, key != null ? key : env.get("ITEMBANK_KEY"));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Prints rows as aligned columns, the first row a header. */
    static void table(PrintWriter out, List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        rows.forEach(row -> {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        });
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(c == row.size() - 1 ? row.get(c) : String.format("%-" + widths[c] + "s  ", row.get(c)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String number(JsonNode value) {
        return numberOf(value);
    }

    static String numberOf(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.4f", value.asDouble()) : value.asString("");
    }

    @Command(name = "import-lm-eval", mixinStandardHelpOptions = true, description = "Import an lm-evaluation-harness "
            + "output folder (every model's results and samples files) into a benchmark as one new version.")
    static final class ImportLmEval implements Callable<Integer> {
        @CommandLine.ParentCommand
        ItembankCli root;

        @Option(names = "--benchmark", required = true, description = "the benchmark to import into")
        String benchmark;

        @Option(names = "--create", description = "create the benchmark first when it does not exist")
        boolean create;

        @Option(names = "--mode", defaultValue = "merge", description = "merge (default: models already present keep "
                + "their other items) or replace (their rows are replaced whole)")
        String mode;

        @CommandLine.Mixin
        FolderReading reading;

        @Option(names = "--metric", description = "the metric field to read, where a sample has it")
        String metric;

        @CommandLine.Mixin
        JsonOutput output;

        @Parameters(paramLabel = "DIR", description = "the lm_eval --output_path folder")
        Path folder;

        @Override
        public Integer call() throws IOException {
            ApiClient api = root.client();
            if (create) {
                try {
                    api.getJson("/api/v1/benchmarks/" + encode(benchmark));
                } catch (ApiClient.ProblemException e) {
                    if (e.status != 404) {
                        throw e;
                    }
                    api.post("/api/v1/benchmarks", "application/json", ApiClient.JSON.writeValueAsBytes(
                            Map.of("name", benchmark)));
                }
            }
            StringBuilder query = new StringBuilder("?mode=").append(encode(mode));
            reading.appendTo(query);
            append(query, "metric", metric);
            String body = api.post("/api/v1/benchmarks/" + encode(benchmark) + "/results" + query,
                    "application/gzip", FolderArchive.tarGz(folder));
            if (output.printed(root.out, body)) {
                return 0;
            }
            JsonNode version = ApiClient.JSON.readTree(body);
            root.out.printf(Locale.ROOT, "%s version %d: %d models, %d items; cells %d added, %d replaced (%s)%n",
                    benchmark, version.path("version").asInt(), version.path("models").asInt(),
                    version.path("items").asInt(), version.path("cells").path("added").asLong(),
                    version.path("cells").path("replaced").asLong(), version.path("cells").path("mode").asString());
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("model", "tasks", "samples", "harness"));
            for (JsonNode imported : version.path("imported").path("models")) {
                int samples = 0;
                for (JsonNode count : imported.path("samples")) {
                    samples += count.asInt();
                }
                rows.add(List.of(imported.path("model").asString(), String.valueOf(imported.path("samples").size()),
                        String.valueOf(samples), imported.path("harnessVersion").asString("")));
            }
            table(root.out, rows);
            version.path("warnings").forEach(w -> root.err.println("warning: " + w.asString()));
            return 0;
        }
    }

    @Command(name = "subset", mixinStandardHelpOptions = true, description = "Show a subset: its items, or what "
            + "lm-eval needs to run it.")
    static final class SubsetCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        ItembankCli root;

        @Parameters(paramLabel = "ID", description = "the subset's id")
        String id;

        @Option(names = "--lm-eval", description = "print the JSON for lm_eval --samples")
        boolean lmEval;

        @Option(names = "--lm-eval-command", description = "print a ready lm_eval command line")
        boolean lmEvalCommand;

        @Option(names = "--model", description = "with --lm-eval-command: the model's pretrained= argument")
        String model;

        @CommandLine.Mixin
        JsonOutput output;

        @Override
        public Integer call() throws IOException {
            ApiClient api = root.client();
            String path = "/api/v1/subsets/" + encode(id);
            if (lmEval) {
                root.out.println(api.get(path + "?format=lm-eval", "application/json"));
                return 0;
            }
            if (lmEvalCommand) {
                root.out.print(api.get(path + "?format=lm-eval-command" + (model == null ? "" : "&model="
                        + encode(model)), "text/plain"));
                return 0;
            }
            String body = api.get(path, "application/json");
            if (output.printed(root.out, body)) {
                return 0;
            }
            JsonNode subset = ApiClient.JSON.readTree(body);
            root.out.printf(Locale.ROOT, "subset %s of %s (version %d): %s, %d items%n", subset.path("id").asString(),
                    subset.path("benchmark").asString(), subset.path("datasetVersion").asInt(),
                    subset.path("method").asString(), subset.path("items").size());
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("item", "scenario", "weight"));
            subset.path("items").forEach(item -> rows.add(List.of(item.path("itemId").asString(),
                    item.path("scenario").asString(), number(item.path("weight")))));
            table(root.out, rows);
            return 0;
        }
    }

    @Command(name = "estimate", mixinStandardHelpOptions = true, description = "Estimate a model's full-benchmark "
            + "scores from its lm-eval run of a subset (the folder lm_eval --samples ... --log_samples wrote).")
    static final class Estimate implements Callable<Integer> {
        @CommandLine.ParentCommand
        ItembankCli root;

        @Option(names = "--subset", required = true, description = "the subset the run answered")
        String subset;

        @CommandLine.Mixin
        FolderReading reading;

        @Option(names = "--level", defaultValue = "0.9", description = "the intervals' nominal coverage")
        double level;

        @CommandLine.Mixin
        JsonOutput output;

        @Parameters(paramLabel = "DIR", description = "the lm_eval --output_path folder of the subset run")
        Path folder;

        @Override
        public Integer call() throws IOException {
            StringBuilder query = new StringBuilder("?level=").append(level);
            reading.appendTo(query);
            String body = root.client().post("/api/v1/subsets/" + encode(subset) + "/estimates" + query,
                    "application/gzip", FolderArchive.tarGz(folder));
            if (output.printed(root.out, body)) {
                return 0;
            }
            JsonNode estimate = ApiClient.JSON.readTree(body);
            root.out.printf(Locale.ROOT, "%s on %s (estimate %s)%n", estimate.path("model").asString(),
                    estimate.path("benchmark").asString(), estimate.path("id").asString());
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("scenario", "estimate", "lower", "upper", "estimator", "answered"));
            estimate.path("scenarios").properties().forEach(e -> rows.add(row(e.getKey(), e.getValue())));
            rows.add(row("overall", estimate.path("overall")));
            table(root.out, rows);
            estimate.path("warnings").forEach(w -> root.err.println("warning: " + w.asString()));
            return 0;
        }

        private static List<String> row(String name, JsonNode part) {
            return List.of(name, number(part.path("estimate")), number(part.path("lower")), number(part.path("upper")),
                    part.path("estimator").asString("") + (part.path("extrapolated").asBoolean() ? " (extrapolated)"
                    : ""), part.path("answered").asInt() + "/" + part.path("items").asInt());
        }
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true, description = "Jobs on the service's queue.",
            subcommands = JobsCommand.Wait.class)
    static final class JobsCommand {
        @CommandLine.ParentCommand
        ItembankCli root;

        @Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait for a job to end, showing its "
                + "progress; exit 0 when it succeeded, 1 when it failed or was cancelled.")
        static final class Wait implements Callable<Integer> {
            @CommandLine.ParentCommand
            JobsCommand jobs;

            @Parameters(paramLabel = "ID", description = "the job's id (or its /api/v1/jobs/... path)")
            String id;

            @Option(names = "--timeout", defaultValue = "PT2H", description = "give up after this long (ISO-8601, "
                    + "e.g. PT30M)")
            Duration timeout;

            @CommandLine.Mixin
            JsonOutput output;

            @Override
            public Integer call() throws IOException, InterruptedException {
                ItembankCli root = jobs.root;
                ApiClient api = root.client();
                String path = id.startsWith("/") ? id : "/api/v1/jobs/" + encode(id);
                Instant deadline = Instant.now().plus(timeout);
                ProgressBar bar = new ProgressBar(root.err, System.console() != null);
                while (true) {
                    JsonNode job = api.getJson(path);
                    String state = job.path("state").asString();
                    bar.show(job.path("progress").asDouble(), state, job.path("message").asString(""));
                    if (Set.of("succeeded", "failed", "cancelled").contains(state)) {
                        bar.end();
                        if (output.json()) {
                            root.out.println(ApiClient.JSON.writeValueAsString(job));
                        } else {
                            root.out.println("job " + job.path("id").asString(job.path("job").asString()) + " "
                                    + state + (job.hasNonNull("result") ? ": " + job.path("result").asString() : "")
                                    + (job.hasNonNull("error") ? ": " + job.path("error").toString() : ""));
                        }
                        return state.equals("succeeded") ? 0 : 1;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        bar.end();
                        root.err.println("error: job still " + state + " after " + timeout);
                        return 1;
                    }
                    Thread.sleep(500);
                }
            }
        }
    }

    /** A text progress bar on standard error: redrawn in place on a terminal, a line per tenth otherwise. */
    /** How the service reads an lm-eval output folder, for the commands that send one. */
    static final class FolderReading {
        @Option(names = "--model", description = "the model's name, for a one-model folder without a results file")
        private String model;

        @Option(names = "--filter", description = "the lm-eval filter to read where a task has several")
        private String filter;

        void appendTo(StringBuilder query) {
            append(query, "model", model);
            append(query, "filter", filter);
        }
    }

    /** The {@code --json} option of every command that shows a resource. */
    static final class JsonOutput {
        @Option(names = "--json", description = "print the result as the REST API returns it")
        private boolean json;

        boolean json() {
            return json;
        }

        /** With --json, prints the body as the service returned it and answers true (the command is done). */
        boolean printed(PrintWriter out, String body) {
            if (json) {
                out.println(body);
            }
            return json;
        }
    }

    static final class ProgressBar {
        private final PrintWriter err;
        private final boolean terminal;
        private int shownTenths = -1;

        ProgressBar(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void show(double progress, String state, String message) {
            double clamped = Math.max(0, Math.min(1, Double.isNaN(progress) ? 0 : progress));
            int filled = (int) Math.round(clamped * 30);
            String line = String.format(Locale.ROOT, "[%s%s] %3.0f%% %s %s", "#".repeat(filled), ".".repeat(30 - filled),
                    100 * clamped, state, message);
            if (terminal) {
                err.print("\r" + line.substring(0, Math.min(line.length(), 110)));
                err.flush();
            } else if ((int) (clamped * 10) != shownTenths) {
                shownTenths = (int) (clamped * 10);
                err.println(line);
            }
        }

        void end() {
            if (terminal) {
                err.println();
            }
        }
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.append('&').append(name).append('=').append(encode(value));
        }
    }

    /** The jar's version, from its manifest (also the evaluation command's {@code --version}). */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ItembankCli.class.getPackage().getImplementationVersion();
            return new String[] {"itembank " + (version == null ? "(development build)" : version)};
        }
    }
}
