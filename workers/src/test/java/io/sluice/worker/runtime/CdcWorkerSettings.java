package io.sluice.worker.runtime;

import io.sluice.connect.jdbc.cdc.PostgresCdcExtension;
import java.util.HashMap;
import java.util.Map;

/**
 * The connector settings the worker itself reads for Postgres CDC connectors (beyond Debezium's own),
 * with their defaults taken from {@link PostgresCdcExtension} as it runs, for the generated reference
 * page. Fails loudly when that class stops reading them the way this expects, rather than document a
 * stale default.
 */
public final class CdcWorkerSettings {

    /** One worker-level setting: its name and default as the code has them. */
    public record Setting(String name, String defaultValue) {}

    private CdcWorkerSettings() {}

    /** Whether deleting the connector drops its slot and publication. */
    public static Setting dropSlotOnDelete() {
        RecordingConfig config = new RecordingConfig(PostgresCdcExtension.DROP_ON_DELETE);
        try {
            new PostgresCdcExtension().deleted("reference-page", config);
        } catch (RecordingConfig.Stop expected) {
            // read what we wanted, before anything else happened
        }
        if (!config.defaults.containsKey(PostgresCdcExtension.DROP_ON_DELETE)) {
            throw new IllegalStateException("PostgresCdcExtension.deleted no longer reads "
                    + PostgresCdcExtension.DROP_ON_DELETE
                    + " with getOrDefault: update CdcWorkerSettings so the reference page shows its default");
        }
        return new Setting(
                PostgresCdcExtension.DROP_ON_DELETE, config.defaults.get(PostgresCdcExtension.DROP_ON_DELETE));
    }

    /** WAL bytes a slot may retain before the worker warns. */
    public static Setting slotLagWarnBytes() {
        return new Setting(PostgresCdcExtension.LAG_WARN_BYTES, String.valueOf(PostgresCdcExtension.DEFAULT_WARN));
    }

    /** A config that records the default each setting is read with, and stops once {@code last} is read. */
    private static final class RecordingConfig extends HashMap<String, String> {

        static final class Stop extends RuntimeException {
            Stop() {
                super(null, null, false, false);
            }
        }

        final Map<String, String> defaults = new HashMap<>();
        private final String last;

        RecordingConfig(String last) {
            this.last = last;
        }

        @Override
        public String getOrDefault(Object key, String defaultValue) {
            defaults.put((String) key, defaultValue);
            if (key.equals(last)) {
                throw new Stop();
            }
            return defaultValue;
        }
    }
}
