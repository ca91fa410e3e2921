package io.sluice.worker.security;

import io.sluice.worker.storage.LogProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worker's connector config policy: file connectors confined to their allowed directories. */
@Configuration(proxyBeanMethods = false)
public class FileConnectorConfiguration {

    @Bean
    public FileConnectorPaths fileConnectorPaths(FileConnectorProperties properties, LogProperties log) {
        return FileConnectorPaths.of(properties, log.dataDir());
    }
}
