package dev.itembank.api;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.itembank.jobs.Job;
import dev.itembank.psychometrics.selection.Selection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed contract ({@code openapi/openapi.yaml}, which {@link OpenApiContractTest} keeps equal to what the
 * service serves) read by swagger-parser, the parser behind openapi-generator: no errors, every reference
 * resolved, distinct request schemas, the enums clients switch on, and an example for every operation.
 */
class OpenApiValidityTest {

    private static SwaggerParseResult parsed;
    private static OpenAPI api;

    @BeforeAll
    static void parse() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        parsed = new OpenAPIParser().readContents(Files.readString(OpenApiContractTest.CONTRACT), null, options);
        api = parsed.getOpenAPI();
    }

    @Test
    void theParserReadsTheContractWithoutErrorsAndEveryReferenceResolves() {
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        assertThat(api).isNotNull();
        Set<String> defined = api.getComponents().getSchemas().keySet();
        List<String> refs = new ArrayList<>();
        collectRefs(api.getPaths(), refs);
        collectRefs(api.getComponents().getSchemas(), refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/schemas/");
            assertThat(defined).as("schema referenced by " + ref).contains(ref.substring(ref.lastIndexOf('/') + 1));
        }
        assertThat(defined).contains("Problem");
    }

    @Test
    void operationIdsAreUniqueAndEveryOperationHasAnExample() {
        Set<String> ids = new HashSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            assertThat(ids.add(operation.getOperationId())).as("duplicate operationId " + operation.getOperationId())
                    .isTrue();
            assertThat(hasExample(operation)).as(method + " " + path + " has an example").isTrue();
        }));
        assertThat(ids).hasSizeGreaterThan(30);
    }

    @Test
    void calibrationAndSubsetBodiesHaveTheirOwnSchemas() {
        assertThat(requestSchema("/api/v1/benchmarks/{name}/calibrations")).isEqualTo(
                "#/components/schemas/CalibrationRequest");
        assertThat(requestSchema("/api/v1/benchmarks/{name}/subsets")).isEqualTo("#/components/schemas/SubsetRequest");
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        assertThat(schemas.get("CalibrationRequest").getProperties()).containsKeys("model", "dimensions",
                "heldOutModels").doesNotContainKey("itemsPerScenario");
        assertThat(schemas.get("SubsetRequest").getProperties()).containsKeys("method", "itemsPerScenario")
                .doesNotContainKey("heldOutModels");
    }

    @Test
    void methodsModelsRolesAndJobStatesAreEnumsOfWhatTheServiceAccepts() {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        List<String> methods = java.util.Arrays.stream(Selection.Method.values()).map(Selection.Method::code).toList();
        assertThat(enumOf(schemas.get("SubsetRequest"), "method")).containsExactlyInAnyOrderElementsOf(methods);
        assertThat(enumOf(schemas.get("CalibrationRequest"), "model")).containsExactlyInAnyOrder("mirt", "1pl", "2pl",
                "3pl", "4pl");
        assertThat(enumOf(schemas.get("CreateKey"), "role")).containsExactlyInAnyOrder("reader", "writer", "admin",
                "metrics");
        assertThat(enumOf(schemas.get("JobView"), "state")).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(Job.State.values()).map(Job.State::code).toList());
    }

    private String requestSchema(String path) {
        MediaType json = api.getPaths().get(path).getPost().getRequestBody().getContent().get("application/json");
        return json.getSchema().get$ref();
    }

    private static List<Object> enumOf(Schema<?> schema, String property) {
        assertThat(schema).isNotNull();
        Schema<?> field = (Schema<?>) schema.getProperties().get(property);
        assertThat(field.getEnum()).as(property + " is an enum").isNotNull();
        return new ArrayList<>(field.getEnum());
    }

    private static boolean hasExample(Operation operation) {
        List<MediaType> bodies = new ArrayList<>();
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            bodies.addAll(operation.getRequestBody().getContent().values());
        }
        operation.getResponses().forEach((status, response) -> {
            if (response.getContent() != null) {
                bodies.addAll(response.getContent().values());
            }
        });
        return bodies.stream().anyMatch(media -> media.getExample() != null
                || media.getExamples() != null && !media.getExamples().isEmpty());
    }

    /** Every {@code $ref} string anywhere in a parsed model. */
    private static void collectRefs(Object node, List<String> refs) {
        String yaml = io.swagger.v3.core.util.Yaml.pretty(node);
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\$ref: \"?([^\"\\s]+)\"?").matcher(yaml);
        while (matcher.find()) {
            refs.add(matcher.group(1));
        }
    }
}
