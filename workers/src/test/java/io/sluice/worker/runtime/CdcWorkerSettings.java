package io.sluice.worker.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;

/**
 * The connector settings the worker itself reads for Postgres CDC connectors (beyond Debezium's own),
 * with their defaults taken from {@link PostgresCdcSupport} as it runs, for the generated reference
 * page. Fails loudly when that class stops reading them the way this expects, rather than document a
 * stale default.
 */
public final class CdcWorkerSettings {

    /** One worker-level setting: its name and default as the code has them. */
    public record Setting(String name, String defaultValue) {}

    private CdcWorkerSettings() {}

    /** Whether deleting the connector drops its slot and publication. */
    public static Setting dropSlotOnDelete() {
        RecordingConfig config = new RecordingConfig(PostgresCdcSupport.DROP_ON_DELETE);
        try {
            new PostgresCdcSupport(new SimpleMeterRegistry()).deleted("reference-page", config);
        } catch (RecordingConfig.Stop expected) {
            // read what we wanted, before anything else happened
        }
        if (!config.defaults.containsKey(PostgresCdcSupport.DROP_ON_DELETE)) {
            throw new IllegalStateException("PostgresCdcSupport.deleted no longer reads "
                    + PostgresCdcSupport.DROP_ON_DELETE
                    + " with getOrDefault: update CdcWorkerSettings so the reference page shows its default");
        }
        return new Setting(PostgresCdcSupport.DROP_ON_DELETE, config.defaults.get(PostgresCdcSupport.DROP_ON_DELETE));
    }

    /** WAL bytes a slot may retain before the worker warns. */
    public static Setting slotLagWarnBytes() {
        try {
            Field field = PostgresCdcSupport.class.getDeclaredField("DEFAULT_WARN");
            field.setAccessible(true);
            return new Setting(PostgresCdcSupport.LAG_WARN_BYTES, String.valueOf(field.get(null)));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "PostgresCdcSupport.DEFAULT_WARN is gone: update CdcWorkerSettings so the reference page shows the"
                            + " default of " + PostgresCdcSupport.LAG_WARN_BYTES,
                    e);
        }
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
