package io.sluice.rest.security;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Security settings ({@code sluice.security.*}).
 *
 * @param usersFile users and roles, one {@code name:bcrypt-hash:role} a line, re-read when it
 *     changes; without it (and without OIDC) there is no authentication
 * @param allowAnonymous let anyone in while listening on a non-loopback address; without this
 *     (or authentication) a worker bound beyond loopback refuses to start
 * @param oidc bearer tokens from an OpenID Connect issuer
 */
@Validated
@ConfigurationProperties("sluice.security")
public record SecurityProperties(
        Path usersFile,
        @DefaultValue("false") boolean allowAnonymous,
        @DefaultValue Oidc oidc) {

    /**
     * Bearer tokens ({@code sluice.security.oidc.*}): JWTs signed by the issuer's keys (from its
     * discovery document's {@code jwks_uri}), with the issuer's {@code iss}.
     *
     * @param issuerUri the issuer, e.g. {@code https://login.example.com/realms/ops}; unset: no tokens
     * @param rolesClaim the claim holding the user's roles (a string or a list; {@code viewer},
     *     {@code operator}, {@code admin}; the highest counts)
     * @param userClaim the claim naming the user in audit and {@code /hub/whoami}, else {@code sub}
     * @param audience when set, tokens must list it in {@code aud}
     */
    public record Oidc(
            String issuerUri,
            @DefaultValue("roles") String rolesClaim,
            @DefaultValue("preferred_username") String userClaim,
            String audience) {

        public boolean enabled() {
            return issuerUri != null && !issuerUri.isBlank();
        }
    }

    public SecurityProperties {
        oidc = oidc == null ? new Oidc(null, "roles", "preferred_username", null) : oidc;
    }

    /** Whether callers must authenticate. */
    public boolean authenticationConfigured() {
        return usersFile != null || oidc.enabled();
    }
}
