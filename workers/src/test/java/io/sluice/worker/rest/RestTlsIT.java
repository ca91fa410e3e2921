package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.worker.TestWorker;
import io.sluice.worker.security.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The REST API and UI over TLS with Spring Boot's SSL bundles and a certificate the test makes:
 * a client trusting it gets answers (credentials travel encrypted), one that does not trust it
 * fails the handshake, and plain HTTP gets no API.
 */
class RestTlsIT {

    @TempDir
    Path dir;

    @Test
    void shouldServeTheApiAndUiOverTlsOnly() throws Exception {
        Path store = TestCertificates.create(dir, "hub");
        TestCertificates.create(dir, "stranger");
        Path users =
                Files.writeString(dir.resolve("users"), "ada:" + new BCryptPasswordEncoder(4).encode("a") + ":admin\n");
        try (TestWorker worker = TestWorker.start(
                dir.resolve("data"),
                "sluice.security.users-file=" + users,
                "server.ssl.bundle=rest",
                "spring.ssl.bundle.jks.rest.keystore.location=file:" + store,
                "spring.ssl.bundle.jks.rest.keystore.password=" + TestCertificates.PASSWORD,
                "spring.ssl.bundle.jks.rest.keystore.type=PKCS12")) {
            String base = "https://127.0.0.1:" + worker.port();
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(TestCertificates.trusting(dir.resolve("hub.pem")))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String auth = "Basic " + Base64.getEncoder().encodeToString("ada:a".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> connectors = trusting.send(
                    HttpRequest.newBuilder(URI.create(base + "/connectors"))
                            .header("Authorization", auth)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(connectors.statusCode()).isEqualTo(200);
            assertThat(connectors.body()).isEqualTo("[]");
            HttpResponse<String> ui = trusting.send(
                    HttpRequest.newBuilder(URI.create(base + "/ui"))
                            .header("Authorization", auth)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ui.body()).contains("<title>Sluice</title>");
            assertThat(trusting.send(
                                    HttpRequest.newBuilder(URI.create(base + "/connectors"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);

            HttpClient other = HttpClient.newBuilder()
                    .sslContext(TestCertificates.trusting(dir.resolve("stranger.pem")))
                    .build();
            assertThatThrownBy(() -> other.send(
                            HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);

            HttpResponse<String> plain;
            try {
                plain = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/health"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(plain.statusCode()).isEqualTo(400); // Tomcat: "plain HTTP request sent to HTTPS port"
                assertThat(plain.body()).doesNotContain("healthy");
            } catch (IOException refused) {
                // the connection closed without an answer: no API either
            }
        }
    }
}
