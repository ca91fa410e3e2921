package io.sluice.rest.audit;

import io.sluice.core.audit.AuditEvent;
import io.sluice.core.audit.AuditTrail;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records each request that may change something once it is answered: the user (as Spring
 * Security authenticated it, else {@code anonymous}), the caller's address, method, path and
 * query, status and time. Sits after authentication, so a request refused for its role is
 * recorded with 403 (it sits just outside Spring Security's exception translation). Thread-safe.
 */
public final class AuditFilter extends OncePerRequestFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Supplier<AuditTrail> trail;

    /** @param trail where events go (null while the worker has none: nothing is recorded) */
    public AuditFilter(Supplier<AuditTrail> trail) {
        this.trail = trail;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return READS.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            AuditTrail target = trail.get();
            if (target != null) {
                // read after the chain: the authentication filters (basic, bearer) have run by now
                Authentication who = SecurityContextHolder.getContext().getAuthentication();
                String user = who == null || who instanceof AnonymousAuthenticationToken || !who.isAuthenticated()
                        ? "anonymous"
                        : who.getName();
                String query = request.getQueryString();
                target.append(new AuditEvent(
                        System.currentTimeMillis(),
                        user,
                        request.getRemoteAddr(),
                        request.getMethod(),
                        request.getRequestURI() + (query == null ? "" : "?" + query),
                        failed && response.getStatus() < 400 ? 500 : response.getStatus(),
                        null));
            }
        }
    }
}
