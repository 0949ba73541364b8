package dev.itembank.security;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.itembank.api.ApiException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "API keys", description = "Keys and their roles (admin only)")
@RestController
@RequestMapping("/api/v1/api-keys")
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    record CreateKey(@NotBlank @Size(max = 200) String name,
            @NotNull @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"reader", "writer", "admin",
                    "metrics"}) String role) {
    }

    /** A key as listed: never its secret. */
    record KeyView(UUID id, String name, String role, String prefix, Instant createdAt, Instant revokedAt) {

        static KeyView of(ApiKeys.StoredKey key) {
            return new KeyView(key.id(), key.name(), key.role().code(), key.prefix(), key.createdAt(),
                    key.revokedAt());
        }
    }

    /** A new key, with its secret: shown this once. */
    record CreatedKey(UUID id, String name, String role, String key, Instant createdAt) {
    }

    @Operation(operationId = "createApiKey", summary = "Create an API key (the key is shown only in this answer)")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the key",
            useReturnTypeSchema = true)
    @PostMapping(consumes = "application/json", produces = "application/json")
    ResponseEntity<CreatedKey> create(@Valid @RequestBody CreateKey request) {
        Role role;
        try {
            role = Role.parse(request.role());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage(), Map.of("field", "role"));
        }
        ApiKeys.NewKey key = keys.create(request.name(), role);
        return ResponseEntity.created(URI.create("/api/v1/api-keys/" + key.stored().id()))
                .body(new CreatedKey(key.stored().id(), key.stored().name(), role.code(), key.key(),
                        key.stored().createdAt()));
    }

    @Operation(operationId = "listApiKeys", summary = "List API keys (never their secrets)")
    @GetMapping(produces = "application/json")
    List<KeyView> list() {
        return keys.list().stream().map(KeyView::of).toList();
    }

    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "revoked (it stays "
            + "listed, with revokedAt)")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        if (!keys.revoke(id)) {
            throw ApiException.notFound("api key", id);
        }
        return ResponseEntity.noContent().build();
    }
}
