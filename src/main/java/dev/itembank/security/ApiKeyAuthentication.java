package dev.itembank.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by an API key: its authorities are the key's role and the roles that role includes. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final ApiKeys.StoredKey key;

    ApiKeyAuthentication(ApiKeys.StoredKey key) {
        super(key.role().authorities());
        this.key = key;
        setAuthenticated(true);
    }

    ApiKeys.StoredKey key() {
        return key;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return key.id();
    }
}
