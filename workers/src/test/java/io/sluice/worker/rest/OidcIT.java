package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.sluice.worker.TestWorker;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens from an OIDC issuer: a tiny issuer on 127.0.0.1 (discovery document and JWKS of a
 * key the test makes) and JWTs the test signs. A token's roles claim decides what it may do;
 * expired, foreign-signed, wrong-issuer and role-less tokens get 401 or 403.
 */
class OidcIT {

    @TempDir
    Path dir;

    static String token(RSAKey key, String issuer, Object roles, Instant expires) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("u-123")
                .claim("preferred_username", "olga")
                .issueTime(new Date())
                .expirationTime(Date.from(expires));
        if (roles != null) {
            claims.claim("roles", roles);
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void shouldAcceptTokensOfTheIssuerWithTheRoleTheirClaimGives() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/ops";
        idp.createContext("/realms/ops/.well-known/openid-configuration", ex -> {
            byte[] body = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\","
                            + "\"subject_types_supported\":[\"public\"],"
                            + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        idp.createContext("/realms/ops/jwks", ex -> {
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        idp.start();
        try (TestWorker worker = TestWorker.start(dir.resolve("data"), "sluice.security.oidc.issuer-uri=" + issuer)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + worker.port();
            Instant later = Instant.now().plusSeconds(600);
            record Call(String method, String path, String token) {}
            java.util.function.Function<Call, HttpResponse<String>> send = c -> {
                try {
                    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + c.path()))
                            .method(c.method(), HttpRequest.BodyPublishers.noBody());
                    if (c.token() != null) {
                        r.header("Authorization", "Bearer " + c.token());
                    }
                    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };

            String operator = token(key, issuer, List.of("operator"), later);
            assertThat(send.apply(new Call("GET", "/connectors", operator)).statusCode())
                    .isEqualTo(200);
            assertThat(send.apply(new Call("PUT", "/connectors/missing/pause", operator))
                            .statusCode())
                    .isEqualTo(404);
            HttpResponse<String> refused = send.apply(new Call("DELETE", "/connectors/missing", operator));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("needs role admin").contains("'olga'");
            HttpResponse<String> me = send.apply(new Call("GET", "/hub/whoami", operator));
            assertThat(me.body()).contains("\"user\":\"olga\"").contains("\"role\":\"operator\"");

            assertThat(send.apply(new Call("GET", "/hub/audit", operator)).body())
                    .contains("\"user\":\"olga\",\"remote_address\":\"127.0.0.1\",\"method\":\"DELETE\"");

            String admin = token(key, issuer, "viewer admin", later);
            assertThat(send.apply(new Call("DELETE", "/connectors/missing", admin))
                            .statusCode())
                    .isEqualTo(404);

            assertThat(send.apply(new Call("GET", "/connectors", null)).statusCode())
                    .isEqualTo(401);
            assertThat(send.apply(new Call(
                                    "GET",
                                    "/connectors",
                                    token(
                                            key,
                                            issuer,
                                            List.of("admin"),
                                            Instant.now().minusSeconds(600))))
                            .statusCode())
                    .as("expired")
                    .isEqualTo(401);
            assertThat(send.apply(new Call("GET", "/connectors", token(stranger, issuer, List.of("admin"), later)))
                            .statusCode())
                    .as("signed by another key")
                    .isEqualTo(401);
            assertThat(send.apply(new Call(
                                    "GET",
                                    "/connectors",
                                    token(key, "http://127.0.0.1:1/other", List.of("admin"), later)))
                            .statusCode())
                    .as("another issuer")
                    .isEqualTo(401);
            assertThat(send.apply(new Call("GET", "/connectors", token(key, issuer, null, later)))
                            .statusCode())
                    .as("no roles")
                    .isEqualTo(403);
            HttpResponse<String> bad = send.apply(new Call("GET", "/connectors", "not-a-jwt"));
            assertThat(bad.statusCode()).isEqualTo(401);
            assertThat(bad.body()).contains("\"error_code\":401");
            assertThat(bad.headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Bearer"));
        } finally {
            idp.stop(0);
        }
    }
}
