package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A worker started by {@code bin/sluice} with users and a config encryption key, its root logger
 * set to TRACE over REST: a connector's PASSWORD value sent in request bodies appears in no
 * response, no log line and no byte of any file of the data directory (where it is stored
 * AES-GCM encrypted), nor does the caller's own password; data files are 0600 in 0700 directories.
 */
class SecretsAtRestIT {

    /** The S3 server's secret key: the connector must be able to write (create checks it), so it is the real one. */
    static final String SECRET = io.sluice.testing.S3Fixture.SECRET_KEY;

    /** A real S3 API server, so that creating the sink passes its preflight (bucket exists, key may write). */
    private static io.sluice.testing.S3Fixture s3;

    private static String bucket;

    @org.junit.jupiter.api.BeforeAll
    static void startS3() {
        s3 = io.sluice.testing.S3Fixture.start();
        bucket = s3.createBucket("lake");
    }

    @org.junit.jupiter.api.AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    static final String ADMIN_PASSWORD = "admin-pw-never-logged";

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(("ada:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String s3Sink(String secret) {
        return "{\"connector.class\":\"io.sluice.connect.s3.S3SinkConnector\",\"topics\":\"at-rest\","
                + "\"s3.bucket.name\":\"" + bucket + "\",\"s3.region\":\"" + io.sluice.testing.S3Fixture.REGION
                + "\",\"store.url\":\"" + s3.endpoint() + "\","
                + "\"flush.size\":\"10\",\"aws.access.key.id\":\"" + io.sluice.testing.S3Fixture.ACCESS_KEY
                + "\",\"aws.secret.access.key\":\"" + secret + "\"}";
    }

    @Test
    void shouldKeepAPasswordOutOfResponsesLogsAndDataFiles() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "ada:" + new BCryptPasswordEncoder(4).encode(ADMIN_PASSWORD) + ":admin\n");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile = dir.resolve("config.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key));
        Path data = dir.resolve("data");
        Path console = dir.resolve("console.log");
        port = ChildWorker.freePort();
        Path repo = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(
                "bash",
                repo.resolve("bin/sluice").toString(),
                "--sluice.data-dir=" + data,
                "--server.port=" + port,
                "--sluice.plugin-path=" + dir.resolve("no-plugins"),
                "--sluice.security.users-file=" + users,
                "--sluice.security.config-encryption.key-file=" + keyFile);
        builder.environment()
                .put("SLUICE_JAR", repo.resolve("workers/target/sluice.jar").toString());
        builder.environment().put("SLUICE_CDS", "0");
        builder.environment().put("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        builder.redirectErrorStream(true).redirectOutput(console.toFile());
        Process worker = builder.start();
        List<String> responses = new ArrayList<>();
        try {
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        assertThat(worker.isAlive())
                                .as("worker alive, see %s", console)
                                .isTrue();
                        try {
                            return call("GET", "/health", null).statusCode() == 200;
                        } catch (IOException e) {
                            return false;
                        }
                    });
            assertThat(call("PUT", "/admin/loggers/root", "{\"level\":\"TRACE\"}")
                            .statusCode())
                    .isEqualTo(200);

            HttpResponse<String> created =
                    call("POST", "/connectors", "{\"name\":\"lake\",\"config\":" + s3Sink(SECRET) + "}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            responses.add(created.body());
            HttpResponse<String> changed = call("PUT", "/connectors/lake/config", s3Sink(SECRET));
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            responses.add(changed.body());
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            call("GET", "/connectors/lake/tasks", null).body().contains("aws.secret.access.key"));
            for (String path : List.of(
                    "/connectors/lake",
                    "/connectors/lake/config",
                    "/connectors/lake/tasks",
                    "/connectors/lake/status",
                    "/connectors?expand=info&expand=status",
                    "/hub/topics/__sluice_configs/partitions/0/records?offset=0&limit=100")) {
                responses.add(call("GET", path, null).body());
            }
            responses.add(call("PUT", "/connector-plugins/S3SinkConnector/config/validate", s3Sink(SECRET))
                    .body());
        } finally {
            worker.destroy();
            if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
        assertThat(responses).allSatisfy(body -> assertThat(body).doesNotContain(SECRET));

        String log = Files.readString(console, StandardCharsets.ISO_8859_1);
        assertThat(log).contains("with authentication").contains("stored encrypted (AES-GCM)");
        assertThat(log).as("the whole log at TRACE").doesNotContain(SECRET).doesNotContain(ADMIN_PASSWORD);
        assertThat(log)
                .doesNotContain(
                        Base64.getEncoder().encodeToString(("ada:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));

        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        boolean sawCiphertext = false;
        List<String> leaks = new ArrayList<>();
        List<String> open = new ArrayList<>();
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (Files.isDirectory(p) ? !mode.equals("rwx------") : !mode.equals("rw-------")) {
                    open.add(data.relativize(p) + " " + mode);
                }
                if (Files.isRegularFile(p)) {
                    byte[] bytes = Files.readAllBytes(p);
                    if (indexOf(bytes, secret) >= 0) {
                        leaks.add(data.relativize(p).toString());
                    }
                    sawCiphertext |= indexOf(bytes, "sluice-encrypted:v1:".getBytes(StandardCharsets.UTF_8)) >= 0;
                }
            }
        }
        assertThat(leaks).as("data files holding the password").isEmpty();
        assertThat(sawCiphertext).as("the encrypted value is stored").isTrue();
        assertThat(open).as("data entries readable by others").isEmpty();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
