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
 */
@Validated
@ConfigurationProperties("sluice.security")
public record SecurityProperties(
        Path usersFile, @DefaultValue("false") boolean allowAnonymous) {

    /** Whether callers must authenticate. */
    public boolean authenticationConfigured() {
        return usersFile != null;
    }
}
