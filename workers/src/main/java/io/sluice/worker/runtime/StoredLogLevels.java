package io.sluice.worker.runtime;

import io.sluice.rest.admin.SharedLogLevels;
import io.sluice.worker.store.ConfigStore;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-scoped log levels kept in the shared config topic ({@code logger/<name>} keys of {@link
 * ConfigStore}): a level written through any worker is committed by the cluster's metadata group and
 * applied by every worker as the change reaches its copy. Levels stay stored, so a worker that starts
 * or joins later applies them too; a later cluster-scoped change of the same logger replaces them.
 * Thread-safe.
 */
final class StoredLogLevels implements SharedLogLevels {

    private static final Logger LOG = LoggerFactory.getLogger(StoredLogLevels.class);

    private final ConfigStore configs;

    StoredLogLevels(ConfigStore configs) {
        this.configs = configs;
    }

    @Override
    public void publish(String logger, String level) {
        configs.putLoggerLevel(logger, level);
    }

    @Override
    public void subscribe(BiConsumer<String, String> apply) {
        // listen first: a level committed while the stored ones are read is then applied (again) after them
        configs.onChange(key -> ConfigStore.loggerOf(key).ifPresent(logger -> {
            try {
                configs.loggerLevel(logger).ifPresent(level -> apply.accept(logger, level));
            } catch (RuntimeException e) {
                // called on the thread applying the cluster's metadata: never fail it for a log level
                LOG.warn("Ignoring the stored log level of {}: {}", logger, e.toString());
            }
        }));
        configs.loggerLevels().forEach(apply);
    }
}
