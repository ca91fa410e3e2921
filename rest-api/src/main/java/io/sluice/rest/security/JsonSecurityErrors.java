package io.sluice.rest.security;

import io.sluice.rest.errors.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 in Kafka Connect's error body. A 401 asks for HTTP basic (so curl and browsers know
 * what to send) and never says whether the user exists; a 403 names the role the endpoint needs.
 * Stateless.
 */
final class JsonSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final boolean bearer;

    /** @param bearer whether bearer tokens are accepted too (then a 401 offers both schemes) */
    JsonSecurityErrors(boolean bearer) {
        this.bearer = bearer;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"sluice\", charset=\"UTF-8\"");
        if (bearer) {
            response.addHeader("WWW-Authenticate", "Bearer realm=\"sluice\"");
        }
        boolean sent = request.getHeader("Authorization") != null;
        write(
                response,
                HttpServletResponse.SC_UNAUTHORIZED,
                sent
                        ? "Invalid credentials"
                        : "Authentication required: send HTTP basic credentials or a bearer token");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        var who = SecurityContextHolder.getContext().getAuthentication();
        Role role = who == null ? null : RoleAuthorization.roleOf(who);
        Role needed = RoleAuthorization.required(request).orElse(null);
        write(
                response,
                HttpServletResponse.SC_FORBIDDEN,
                "Forbidden: " + request.getMethod() + " " + request.getRequestURI() + " needs role " + needed
                        + ", user '" + (who == null ? "" : who.getName()) + "' has role " + role);
    }

    private static void write(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(ErrorBody.json(new ErrorBody(status, message)));
    }
}
