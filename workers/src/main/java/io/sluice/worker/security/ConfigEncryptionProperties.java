package io.sluice.worker.security;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The key that encrypts secret config values in the config topic ({@code
 * sluice.security.config-encryption.*}). A key is 16, 24 or 32 random bytes, base64-encoded (e.g.
 * {@code openssl rand -base64 32}); every worker of a cluster needs the same one.
 *
 * @param keyFile a file holding the current key
 * @param keyEnv the name of an environment variable holding the current key (when no file is set)
 * @param previousKeyFiles older keys, still accepted for reading while values are re-encrypted
 *     with the current key (see docs/security.md, key rotation)
 */
@ConfigurationProperties("sluice.security.config-encryption")
public record ConfigEncryptionProperties(Path keyFile, String keyEnv, List<Path> previousKeyFiles) {

    public ConfigEncryptionProperties {
        previousKeyFiles = previousKeyFiles == null ? List.of() : List.copyOf(previousKeyFiles);
    }

    public boolean configured() {
        return keyFile != null || (keyEnv != null && !keyEnv.isBlank());
    }
}
