package io.sluice.rest.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Bearer tokens from the OIDC issuer: the decoder (keys from the issuer's discovery document,
 * fetched on first use, so a worker starts while its issuer is down; signature, expiry, issuer and
 * optional audience checked) and the mapping of the roles claim to {@link Role}s. Thread-safe.
 */
final class OidcTokens implements Converter<Jwt, AbstractAuthenticationToken> {

    private final SecurityProperties.Oidc settings;

    OidcTokens(SecurityProperties.Oidc settings) {
        this.settings = settings;
    }

    JwtDecoder decoder() {
        return new JwtDecoder() {
            private volatile NimbusJwtDecoder delegate;

            @Override
            public Jwt decode(String token) {
                NimbusJwtDecoder d = delegate;
                if (d == null) {
                    synchronized (this) {
                        if (delegate == null) {
                            NimbusJwtDecoder built = NimbusJwtDecoder.withIssuerLocation(settings.issuerUri())
                                    .build();
                            built.setJwtValidator(validator());
                            delegate = built;
                        }
                        d = delegate;
                    }
                }
                return d.decode(token);
            }
        };
    }

    private OAuth2TokenValidator<Jwt> validator() {
        OAuth2TokenValidator<Jwt> issuer = JwtValidators.createDefaultWithIssuer(settings.issuerUri());
        if (settings.audience() == null || settings.audience().isBlank()) {
            return issuer;
        }
        OAuth2TokenValidator<Jwt> audience =
                jwt -> jwt.getAudience() != null && jwt.getAudience().contains(settings.audience())
                        ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error(
                                "invalid_token", "the token is not for audience " + settings.audience(), null));
        return new DelegatingOAuth2TokenValidator<>(issuer, audience);
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Role best = null;
        for (String name : roleNames(jwt.getClaim(settings.rolesClaim()))) {
            Role r = Role.parse(name);
            if (r != null && (best == null || r.includes(best))) {
                best = r;
            }
        }
        String user = jwt.getClaimAsString(settings.userClaim());
        return new JwtAuthenticationToken(
                jwt,
                AuthorityUtils.createAuthorityList(best == null ? List.of() : best.authorities()),
                user == null || user.isBlank() ? jwt.getSubject() : user);
    }

    private static List<String> roleNames(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof String s) {
            for (String part : s.split("[,\\s]+")) {
                if (!part.isBlank()) {
                    out.add(part);
                }
            }
        } else if (claim instanceof Collection<?> c) {
            c.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }
}
