package io.sluice.rest.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Decides each request by {@link EndpointRules}: the caller's role must include the endpoint's.
 * Stateless and thread-safe.
 */
final class RoleAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    @Override
    @SuppressWarnings("deprecation") // check() is still what Spring Security 6.x calls
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        Optional<Role> needed = required(context.getRequest());
        if (needed.isEmpty()) {
            return new AuthorizationDecision(true);
        }
        Authentication who = authentication.get();
        if (who == null || !who.isAuthenticated() || who instanceof AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        Role role = roleOf(who);
        return new AuthorizationDecision(role != null && role.includes(needed.get()));
    }

    static Optional<Role> required(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return EndpointRules.required(HttpMethod.valueOf(request.getMethod()), path.isEmpty() ? "/" : path);
    }

    /** The highest role among the caller's authorities, or {@code null}. */
    static Role roleOf(Authentication who) {
        Role best = null;
        for (var granted : who.getAuthorities()) {
            for (Role r : Role.values()) {
                if (r.authority().equals(granted.getAuthority()) && (best == null || r.includes(best))) {
                    best = r;
                }
            }
        }
        return best;
    }
}
