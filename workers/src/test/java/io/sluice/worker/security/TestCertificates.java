package io.sluice.worker.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the JDK's {@code keytool} (no network, no checked-in keys): a
 * PKCS12 key store per name holding a self-signed EC key pair for {@code 127.0.0.1}/{@code
 * localhost}, and its certificate as PEM.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-store-pw";

    private TestCertificates() {}

    /** A key store {@code <name>.p12} and certificate {@code <name>.pem} in {@code dir}. */
    public static Path create(Path dir, String name) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        run(List.of(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
        run(List.of(
                "-exportcert",
                "-rfc",
                "-alias",
                name,
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                dir.resolve(name + ".pem").toString()));
        return store;
    }

    private static void run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }

    /** A PKCS12 trust store {@code file} holding the certificates in {@code pems}. */
    public static Path trustStore(Path file, Path... pems) throws Exception {
        KeyStore trust = trustOf(pems);
        try (var out = Files.newOutputStream(file)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static KeyStore trustOf(Path... pems) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (int i = 0; i < pems.length; i++) {
            try (InputStream in = Files.newInputStream(pems[i])) {
                trust.setCertificateEntry("c" + i, (X509Certificate) factory.generateCertificate(in));
            }
        }
        return trust;
    }

    /** A TLS context trusting exactly the certificates in {@code pems}. */
    public static SSLContext trusting(Path... pems) throws Exception {
        KeyStore trust = trustOf(pems);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
