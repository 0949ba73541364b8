package dev.itembank.security;

import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Grants a request whose key has {@link #role} (or a role that includes it), or, when {@link #anonymous} is set,
 * one without a key. A denial carries the role, so that the 403 can name what was missing.
 */
record RoleRequired(Role role, boolean anonymous) implements AuthorizationManager<RequestAuthorizationContext> {

    /** A decision that knows which role was required. */
    static final class Decision extends AuthorizationDecision {
        private final Role required;

        Decision(boolean granted, Role required) {
            super(granted);
            this.required = required;
        }

        Role required() {
            return required;
        }
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
            RequestAuthorizationContext context) {
        if (context.getRequest().getAttribute(ApiKeyAuthenticationFilter.INVALID_KEY) != null) {
            return new Decision(false, role); // a wrong key is never taken for no key, even with anonymous reads
        }
        Authentication caller = authentication.get();
        if (caller instanceof ApiKeyAuthentication key) {
            return new Decision(key.key().role().includes(role), role);
        }
        return new Decision(anonymous && (caller == null || caller instanceof AnonymousAuthenticationToken), role);
    }
}
