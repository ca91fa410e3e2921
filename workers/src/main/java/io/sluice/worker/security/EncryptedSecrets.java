package io.sluice.worker.security;

import io.sluice.core.plugin.Plugins;
import io.sluice.core.secrets.ConfigRedactor;
import io.sluice.worker.store.StoredSecrets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Encrypts the values of secret settings (PASSWORD-typed by the connector's definitions, or named
 * like a secret when undefined; see {@link ConfigRedactor}) before they reach the config topic, and
 * decrypts every encrypted value read back. Thread-safe.
 */
final class EncryptedSecrets implements StoredSecrets {

    private final ConfigRedactor definitions;
    private final ConfigCipher cipher;

    EncryptedSecrets(Plugins plugins, ConfigCipher cipher) {
        this.definitions = new ConfigRedactor(plugins);
        this.cipher = cipher;
    }

    @Override
    public Map<String, String> seal(Map<String, String> connectorConfig, Map<String, String> values) {
        ConfigDef def = definitions.definitionOf(connectorConfig);
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            boolean secret = value != null && ConfigRedactor.isSecret(key, def);
            out.put(key, secret && !ConfigCipher.isEncrypted(value) ? cipher.encrypt(value) : value);
        });
        return out;
    }

    @Override
    public Map<String, String> open(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((key, value) -> out.put(key, ConfigCipher.isEncrypted(value) ? cipher.decrypt(value) : value));
        return out;
    }
}
