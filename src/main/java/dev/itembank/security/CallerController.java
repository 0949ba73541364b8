package dev.itembank.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "API keys", description = "Keys and their roles (admin only)")
@RestController
class CallerController {

    /** The caller's key: its name and role (the dashboard shows write buttons to writers only). */
    record Caller(String name, @Schema(allowableValues = {"reader", "writer", "admin", "metrics", "anonymous"})
            String role, String prefix) {
    }

    @Operation(operationId = "getCaller", summary = "The calling key's name and role (any key)")
    @GetMapping(path = "/api/v1/me", produces = "application/json")
    Caller me(Authentication authentication) {
        if (authentication instanceof ApiKeyAuthentication key) {
            return new Caller(key.key().name(), key.key().role().code(), key.key().prefix());
        }
        return new Caller(null, "anonymous", null);
    }
}
