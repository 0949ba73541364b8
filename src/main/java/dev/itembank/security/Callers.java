package dev.itembank.security;

import java.util.Optional;
import java.util.UUID;

import org.springframework.security.core.context.SecurityContextHolder;

/** Who sent the request being served: the id of its API key, for quotas and records of who asked. */
public final class Callers {

    private Callers() {
    }

    /** The id of the API key that authenticated the current request; empty for anonymous requests. */
    public static Optional<UUID> currentKey() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication key
                ? Optional.of(key.key().id()) : Optional.empty();
    }
}
