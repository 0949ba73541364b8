package dev.itembank.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;

import java.util.List;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description served at {@code /v3/api-docs}; the committed contract is {@code openapi/openapi.yaml}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String API_VERSION = "v1";

    static {
        // free-form JSON members (parameters, diagnostics, backtests, problems) are plain objects in the contract,
        // not the introspected properties of Jackson's tree type
        org.springdoc.core.utils.SpringDocUtils.getConfig().replaceWithSchema(tools.jackson.databind.JsonNode.class,
                new ObjectSchema().description("free-form JSON"));
    }

    @Bean
    OpenAPI itembankOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Itembank API")
                .version(API_VERSION)
                .description("Upload LLM benchmark results, calibrate item response models, select tiny item "
                        + "subsets and estimate full-benchmark scores with calibrated intervals. Errors are RFC 9457 "
                        + "problem responses whose types start with " + ProblemType.BASE_URI + ".")
                .license(new License().name("MIT").identifier("MIT")))
                // relative, so that the description is the same on every host and port
                .servers(List.of(new Server().url("/").description("This Itembank instance")))
                .components(new Components().addSchemas("Problem", problemSchema())
                        .addSecuritySchemes("apiKey", new io.swagger.v3.oas.models.security.SecurityScheme()
                                .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("An Itembank API key: Authorization: Bearer <key>. Roles: reader (GET, "
                                        + "estimates), writer (also uploads, calibrations, subsets, jobs), admin "
                                        + "(also keys). Health and this description are open.")))
                .addSecurityItem(new io.swagger.v3.oas.models.security.SecurityRequirement().addList("apiKey"));
    }

    /**
     * Every operation may answer with an RFC 9457 problem (the {@code Problem} schema, defined once), and every
     * JSON body without a hand-written example gets one built from its schema ({@link OpenApiExamples}), so that
     * generators and documentation viewers show a complete request and answer for each operation.
     */
    @Bean
    OpenApiCustomizer problemResponsesAndExamples() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas("Problem", problemSchema());
            OpenApiExamples examples = new OpenApiExamples(openApi.getComponents().getSchemas());
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                operation.getResponses().addApiResponse("default", new ApiResponse()
                        .description("An RFC 9457 problem: the type URI says which, the detail what and where")
                        .content(new Content().addMediaType("application/problem+json", new MediaType()
                                .schema(new Schema<>().$ref("#/components/schemas/Problem"))
                                .example(examples.problem()))));
                if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                    operation.getRequestBody().getContent().forEach((type, media) -> examples.fill(type, media));
                }
                operation.getResponses().forEach((status, response) -> {
                    if (status.startsWith("2") && response.getContent() != null) {
                        response.getContent().forEach((type, media) -> examples.fill(type, media));
                    }
                });
            }));
        };
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details; extension members (line, column, model, itemId, errors, ...) "
                        + "say where the problem is")
                .addProperty("type", new StringSchema().format("uri").example(ProblemType.NOT_FOUND.uri().toString()))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .additionalProperties(true);
    }
}
