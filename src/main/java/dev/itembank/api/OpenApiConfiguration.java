package dev.itembank.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API description served at {@code /v3/api-docs}; the committed contract is {@code openapi/openapi.yaml}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String API_VERSION = "v1";

    @Bean
    OpenAPI itembankOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Itembank API")
                .version(API_VERSION)
                .description("Upload LLM benchmark results, calibrate item response models, select tiny item "
                        + "subsets and estimate full-benchmark scores with calibrated intervals. Errors are RFC 9457 "
                        + "problem responses whose types start with " + ProblemType.BASE_URI + ".")
                .license(new License().name("MIT")))
                // relative, so that the description is the same on every host and port
                .servers(List.of(new Server().url("/").description("This Itembank instance")));
    }
}
