package io.sluice.worker.security;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Kafka's built-in file connectors ({@code FileStreamSource}, {@code FileStreamSink}) may
 * read and write ({@code sluice.file-connectors.*}).
 *
 * @param allowedPaths directories (comma-separated) below which their {@code file} must lie; empty
 *     means the worker's data directory only
 */
@ConfigurationProperties("sluice.file-connectors")
public record FileConnectorProperties(List<Path> allowedPaths) {

    public FileConnectorProperties {
        allowedPaths = allowedPaths == null ? List.of() : List.copyOf(allowedPaths);
    }
}
