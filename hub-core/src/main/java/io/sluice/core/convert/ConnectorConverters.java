package io.sluice.core.convert;

import io.sluice.core.plugin.LoaderSwap;
import java.io.Closeable;
import java.io.IOException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured key, value and header converters of one connector. Converters are not generally
 * thread-safe: give each task its own. {@link #close()} is idempotent in effect (converters tolerate
 * repeated close) and logs rather than throws.
 */
public record ConnectorConverters(Converter key, Converter value, HeaderConverter header) implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectorConverters.class);

    /** The key converter's class as configured (what error reports name). */
    public Class<?> keyClass() {
        return configuredClass(key);
    }

    /** The value converter's class as configured (what error reports name). */
    public Class<?> valueClass() {
        return configuredClass(value);
    }

    private static Class<?> configuredClass(Converter converter) {
        return converter instanceof SchemaCachingJsonConverter
                ? org.apache.kafka.connect.json.JsonConverter.class
                : converter.getClass();
    }

    @Override
    public void close() {
        closeQuietly(key);
        closeQuietly(value);
        closeQuietly(header);
    }

    private static void closeQuietly(Closeable converter) {
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(converter)) {
            converter.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Could not close converter {}", converter.getClass().getName(), e);
        }
    }
}
