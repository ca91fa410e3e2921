package io.sluice.worker.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Mutual TLS between workers ({@code sluice.cluster.tls.*}): every Raft connection (metadata group
 * and replicated partitions) presents this worker's certificate and accepts only peers whose
 * certificate the trust store vouches for. Each certificate must name the host its worker is
 * reached at ({@code sluice.cluster.peers}) in its subject alternative names. Without a key store
 * the traffic is plain text.
 *
 * @param keyStore this worker's key and certificate (PKCS12 or JKS)
 * @param keyStorePassword its password (also the key's)
 * @param trustStore the certificates (or their CA) of every worker
 * @param trustStorePassword its password
 */
@ConfigurationProperties("sluice.cluster.tls")
public record ClusterTlsProperties(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTlsProperties.class);

    /** The Ratis TLS config, or {@code null} when no key store is set. */
    public GrpcTlsConfig grpcTls() {
        if (keyStore == null) {
            LOG.warn("Worker-to-worker traffic is plain text; set sluice.cluster.tls.key-store and"
                    + " sluice.cluster.tls.trust-store for mutual TLS");
            return null;
        }
        if (trustStore == null) {
            throw new IllegalArgumentException(
                    "sluice.cluster.tls.key-store is set but sluice.cluster.tls.trust-store is not");
        }
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            char[] keyPassword = chars(keyStorePassword);
            keys.init(load(keyStore, keyPassword, "sluice.cluster.tls.key-store"), keyPassword);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore, chars(trustStorePassword), "sluice.cluster.tls.trust-store"));
            LOG.info("Worker-to-worker traffic over mutual TLS (key store {}, trust store {})", keyStore, trustStore);
            return new GrpcTlsConfig(keys.getKeyManagers()[0], trust.getTrustManagers()[0], true);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use sluice.cluster.tls: " + e.getMessage(), e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    private static KeyStore load(Path file, char[] password, String setting) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + setting + " " + file + ": " + e.getMessage(), e);
        }
    }
}
