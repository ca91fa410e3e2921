package io.sluice.rest.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /hub/whoami}: the caller's name and role, so the UI can hide what the role may not do.
 * Without authentication configured every caller is an anonymous admin. Stateless.
 */
@RestController
@Tag(name = "hub")
public class WhoAmIController {

    /** The caller: {@code user} is null when anonymous. */
    public record Caller(
            @JsonProperty("user") String user,
            @JsonProperty("role") String role,
            @JsonProperty("authentication") boolean authentication) {}

    private final SecurityProperties security;

    WhoAmIController(SecurityProperties security) {
        this.security = security;
    }

    @GetMapping(path = "/hub/whoami", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The caller's user name and role")
    public Caller whoAmI() {
        if (!security.authenticationConfigured()) {
            return new Caller(null, Role.ADMIN.toString(), false);
        }
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (who == null || who instanceof AnonymousAuthenticationToken) {
            return new Caller(null, null, true);
        }
        Role role = RoleAuthorization.roleOf(who);
        return new Caller(who.getName(), role == null ? null : role.toString(), true);
    }
}
