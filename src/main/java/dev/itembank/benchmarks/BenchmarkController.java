package dev.itembank.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Benchmarks", description = "Benchmarks, their items and model metadata")
@RestController
@RequestMapping("/api/v1/benchmarks")
class BenchmarkController {

    private final Benchmarks benchmarks;
    private final ItemCatalog items;
    private final ModelCatalog models;
    private final DatasetWriter writer;
    private final UploadProperties uploads;

    BenchmarkController(Benchmarks benchmarks, ItemCatalog items, ModelCatalog models, DatasetWriter writer,
            UploadProperties uploads) {
        this.benchmarks = benchmarks;
        this.items = items;
        this.models = models;
        this.writer = writer;
        this.uploads = uploads;
    }

    record CreateBenchmark(
            @NotNull @Pattern(regexp = Benchmark.NAME_PATTERN,
                    message = "must be 1-64 lower-case letters, digits, '.', '_' or '-', start and end with a letter "
                            + "or digit, hold no '..' and not be 'latest' or 'recommended'") String name,
            @Size(max = 4000) String description) {
    }

    @Operation(operationId = "createBenchmark", summary = "Create a benchmark")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the benchmark",
            useReturnTypeSchema = true)
    @PostMapping(consumes = "application/json", produces = "application/json")
    ResponseEntity<Views.BenchmarkView> create(@Valid @RequestBody CreateBenchmark request) {
        if (benchmarks.existsByName(request.name())) {
            throw new ApiException(ProblemType.CONFLICT, "A benchmark named '" + request.name() + "' already exists",
                    Map.of("benchmark", request.name()));
        }
        Benchmark benchmark;
        try {
            benchmark = benchmarks.saveAndFlush(new Benchmark(request.name(), request.description()));
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            // another request made it between the check and the insert: the unique name decides
            throw new ApiException(ProblemType.CONFLICT, "A benchmark named '" + request.name() + "' already exists",
                    Map.of("benchmark", request.name()));
        }
        return ResponseEntity.created(URI.create("/api/v1/benchmarks/" + benchmark.name())).body(view(benchmark));
    }

    @Operation(operationId = "listBenchmarks", summary = "List benchmarks")
    @GetMapping(produces = "application/json")
    List<Views.BenchmarkView> list() {
        return benchmarks.findAllByOrderByNameAsc().stream().map(this::view).toList();
    }

    @Operation(operationId = "getBenchmark", summary = "Get a benchmark")
    @GetMapping(path = "/{name}", produces = "application/json")
    Views.BenchmarkView get(@PathVariable String name) {
        return view(find(name));
    }

    @Operation(operationId = "putItems", summary = "Declare or update items",
            description = "CSV with header item_id,scenario,subscenario,text; extra columns are kept as item "
                    + "metadata. When the latest version's scenarios change, a new version is made.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "text/csv", schema = @Schema(type = "string"))))
    @PutMapping(path = "/{name}/items", consumes = "text/csv", produces = "application/json")
    Views.ItemsUpdate putItems(@PathVariable String name, HttpServletRequest request) throws IOException {
        find(name);
        try (Reader reader = UploadBody.reader(UploadBody.open(request, uploads.maxSize()))) {
            return writer.declareItems(name, CatalogCsvParser.items(reader, name));
        }
    }

    @Operation(operationId = "putModels", summary = "Declare or update model metadata",
            description = "CSV with header model,released,parameters,family,score:<scenario>...; other columns "
                    + "are kept as metadata.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "text/csv", schema = @Schema(type = "string"))))
    @PutMapping(path = "/{name}/models", consumes = "text/csv", produces = "application/json")
    Views.ModelsUpdate putModels(@PathVariable String name, HttpServletRequest request) throws IOException {
        Benchmark benchmark = find(name);
        try (Reader reader = UploadBody.reader(UploadBody.open(request, uploads.maxSize()))) {
            return models.upsert(benchmark.id(), name, CatalogCsvParser.models(reader));
        }
    }

    @Operation(operationId = "listModels", summary = "List model metadata")
    @GetMapping(path = "/{name}/models", produces = "application/json")
    List<Views.ModelInfoView> listModels(@PathVariable String name) {
        return models.list(find(name).id());
    }

    private Benchmark find(String name) {
        return benchmarks.require(name);
    }

    private Views.BenchmarkView view(Benchmark benchmark) {
        return new Views.BenchmarkView(benchmark.name(), benchmark.description(), benchmark.createdAt(),
                benchmark.latestVersion(), items.count(benchmark.id()));
    }
}
