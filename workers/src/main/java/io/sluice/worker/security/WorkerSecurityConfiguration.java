package io.sluice.worker.security;

import io.sluice.core.plugin.Plugins;
import io.sluice.worker.storage.LogProperties;
import io.sluice.worker.store.StoredSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's security beans: file connectors confined to their allowed directories, secret
 * config values encrypted in the config topic, the data directory private to the worker's user.
 */
@Configuration(proxyBeanMethods = false)
public class WorkerSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WorkerSecurityConfiguration.class);

    @Bean
    public FileConnectorPaths fileConnectorPaths(FileConnectorProperties properties, LogProperties logProperties) {
        return FileConnectorPaths.of(properties, logProperties.dataDir());
    }

    @Bean
    public StoredSecrets storedSecrets(ConfigEncryptionProperties properties, Plugins plugins) {
        ConfigCipher cipher = ConfigCipher.from(properties);
        if (cipher == null) {
            log.warn("Secret connector settings are stored unencrypted in the config topic; set"
                    + " sluice.security.config-encryption.key-file (see README, Security)");
            return StoredSecrets.PLAIN;
        }
        log.info("Secret connector settings are stored encrypted (AES-GCM)");
        return new EncryptedSecrets(plugins, cipher);
    }

    /** The audit trail: replicated in a cluster, in this worker's log otherwise. */
    @Bean
    public io.sluice.core.audit.AuditTrail auditTrail(
            org.springframework.beans.factory.ObjectProvider<io.sluice.worker.task.TaskTopics> clusterTopics,
            io.sluice.log.Log log,
            io.sluice.worker.runtime.WorkerConnectorService connectors) {
        io.sluice.worker.task.TaskTopics topics =
                clusterTopics.getIfAvailable(() -> new io.sluice.worker.task.TaskTopics(
                        new io.sluice.worker.task.LocalTopicWriter(log),
                        new io.sluice.worker.task.LocalTopicReader(log),
                        null));
        return new AuditLog(topics, connectors.workerId());
    }

    @Bean
    public SmartInitializingSingleton privateDataDir(LogProperties logProperties) {
        return () -> {
            try {
                DataDirPermissions.tighten(logProperties.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make the data directory private", e);
            }
        };
    }
}
