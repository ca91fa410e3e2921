package io.sluice.worker.store;

import java.util.Map;

/**
 * How secret config values are kept in the config topic: {@link #seal} before a config or task
 * config is written, {@link #open} after it is read. Implementations are thread-safe.
 */
public interface StoredSecrets {

    /** Stores values as given. */
    StoredSecrets PLAIN = new StoredSecrets() {
        @Override
        public Map<String, String> seal(Map<String, String> connectorConfig, Map<String, String> values) {
            return values;
        }

        @Override
        public Map<String, String> open(Map<String, String> values) {
            return values;
        }
    };

    /**
     * {@code values} with each secret replaced by its stored form; which settings are secret is
     * decided by {@code connectorConfig}'s connector (a task config is sealed with its connector's).
     */
    Map<String, String> seal(Map<String, String> connectorConfig, Map<String, String> values);

    /** {@code values} as they were before {@link #seal}. */
    Map<String, String> open(Map<String, String> values);
}
