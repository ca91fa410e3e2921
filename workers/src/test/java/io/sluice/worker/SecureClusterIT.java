package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.worker.security.TestCertificates;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Three worker JVMs with the README's secure settings: users and roles, secret settings encrypted
 * with a shared key, and Raft traffic between workers over mutual TLS with certificates the test
 * makes. The cluster forms, changes asked of any worker apply everywhere with each role's rights,
 * the audit trail is the same on every worker, a Raft port refuses a TLS client without a
 * certificate, and no data directory holds the password in clear.
 */
class SecureClusterIT {

    static final String SECRET = "cluster-s3cret-api-password";

    @TempDir
    Path dir;

    @Test
    void shouldFormAndServeASecureClusterOverMutualTls() throws Exception {
        Path keyStore = TestCertificates.create(dir, "cluster");
        Path trustStore = TestCertificates.trustStore(dir.resolve("trust.p12"), dir.resolve("cluster.pem"));
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        Path users = Files.writeString(
                dir.resolve("users"),
                "ada:" + bcrypt.encode("a") + ":admin\notto:" + bcrypt.encode("o") + ":operator\nvera:"
                        + bcrypt.encode("v") + ":viewer\n");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile =
                Files.writeString(dir.resolve("config.key"), Base64.getEncoder().encodeToString(key));
        Path console = Path.of("target", "SecureClusterIT-console.txt").toAbsolutePath();
        Files.deleteIfExists(console);

        try (ChildCluster cluster = ChildCluster.startAuthenticated(
                "ada",
                "a",
                dir,
                console,
                3,
                "--sluice.security.users-file=" + users,
                "--sluice.security.config-encryption.key-file=" + keyFile,
                "--sluice.cluster.tls.key-store=" + keyStore,
                "--sluice.cluster.tls.key-store-password=" + TestCertificates.PASSWORD,
                "--sluice.cluster.tls.trust-store=" + trustStore,
                "--sluice.cluster.tls.trust-store-password=" + TestCertificates.PASSWORD)) {
            String source = "{\"name\":\"seq\",\"config\":{\"connector.class\":\""
                    + SequenceSourceConnector.class.getName()
                    + "\",\"topic\":\"secure\",\"tasks.max\":\"1\",\"batch.size\":\"5\",\"poll.delay.ms\":\"100\"}}";
            String sink =
                    "{\"name\":\"sink\",\"config\":{\"connector.class\":\"" + CountingSinkConnector.class.getName()
                            + "\",\"topics\":\"secure\",\"api.password\":\"" + SECRET + "\"}}";

            ChildWorker viewerOn2 = cluster.worker(2);
            viewerOn2.authenticate("vera", "v");
            assertThat(viewerOn2.post("/connectors", source).statusCode()).isEqualTo(403);
            viewerOn2.authenticate("ada", "a");
            HttpResponse<String> created = viewerOn2.post("/connectors", source);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(cluster.worker(3).post("/connectors", sink).statusCode()).isEqualTo(201);

            ChildWorker on1 = cluster.worker(1);
            on1.authenticate("vera", "v");
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> ChildCluster.json(
                                    on1.get("/connectors/sink/status").body())
                            .path("tasks")
                            .path(0)
                            .path("state")
                            .asText()
                            .equals("RUNNING"));
            assertThat(on1.get("/connectors/sink/config").body())
                    .doesNotContain(SECRET)
                    .contains("[hidden]");

            ChildWorker operatorOn3 = cluster.worker(3);
            operatorOn3.authenticate("otto", "o");
            assertThat(operatorOn3.put("/connectors/seq/pause", "").statusCode())
                    .isEqualTo(202);
            assertThat(operatorOn3.delete("/connectors/seq").statusCode()).isEqualTo(403);
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> ChildCluster.json(
                                    on1.get("/connectors/seq/status").body())
                            .path("connector")
                            .path("state")
                            .asText()
                            .equals("PAUSED"));
            // the audit topic is replicated: worker 1 lists what workers 2 and 3 were asked
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String audit = on1.get("/hub/audit").body();
                return audit.contains("\"user\":\"otto\",\"remote_address\":\"127.0.0.1\",\"method\":\"PUT\","
                                + "\"path\":\"/connectors/seq/pause\",\"status\":202,\"worker\":\"node-3\"")
                        && audit.contains("\"user\":\"vera\",\"remote_address\":\"127.0.0.1\",\"method\":\"POST\","
                                + "\"path\":\"/connectors\",\"status\":403,\"worker\":\"node-2\"");
            });

            int raftPort = Integer.parseInt(cluster.peers().split(",")[0].split(":")[1]);
            assertThatThrownBy(() -> handshake(raftPort, null, trustStore))
                    .as("a TLS client without a certificate")
                    .isInstanceOf(IOException.class);
            handshake(raftPort, keyStore, trustStore);
        }

        List<String> leaks = new ArrayList<>();
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        for (int node = 1; node <= 3; node++) {
            try (Stream<Path> files = Files.walk(dir.resolve("data-" + node))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(p) && SecretsAtRestIT.indexOf(Files.readAllBytes(p), secret) >= 0) {
                        leaks.add(p.toString());
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
        assertThat(Files.readString(console)).doesNotContain(SECRET).contains("over mutual TLS");
    }

    /** A TLS 1.3 handshake with the Raft port, then a read: a refused client certificate fails there. */
    private static void handshake(int port, Path keyStore, Path trustStore) throws Exception {
        KeyManagerFactory keys = null;
        if (keyStore != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(ks, TestCertificates.PASSWORD.toCharArray());
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            ts.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ts);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.setSSLParameters(alpn(socket));
            socket.startHandshake();
            // HTTP/2 client preface; the server answers with its SETTINGS frame, or fails the TLS session
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
            socket.getOutputStream().flush();
            int first = socket.getInputStream().read();
            if (first < 0) {
                throw new IOException("the server closed the connection");
            }
        }
    }

    private static javax.net.ssl.SSLParameters alpn(SSLSocket socket) {
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        return parameters;
    }
}
