package io.sluice.worker.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON encoding of stored values. The layouts are pinned by golden-file tests. Thread-safe. */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads whole numbers as {@code Long}, as Kafka Connect's schemaless JSON does for source offsets
     * and partitions: connectors such as {@code FileStreamSourceTask} insist on a {@code Long}.
     */
    private static final ObjectMapper CONNECT_NUMBERS =
            new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private JsonCodec() {}

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] bytes, TypeReference<T> type, String what) {
        return read(MAPPER, bytes, type, what);
    }

    /** Like {@link #read} with whole numbers as {@code Long}, for values handed to connectors. */
    public static <T> T readConnectData(byte[] bytes, TypeReference<T> type, String what) {
        return read(CONNECT_NUMBERS, bytes, type, what);
    }

    private static <T> T read(ObjectMapper mapper, byte[] bytes, TypeReference<T> type, String what) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalStateException("stored " + what + " is not readable: " + e.getMessage(), e);
        }
    }
}
