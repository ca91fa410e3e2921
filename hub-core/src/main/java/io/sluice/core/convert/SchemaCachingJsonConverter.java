package io.sluice.core.convert;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.DecimalFormat;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.json.JsonSerializer;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterConfig;

/**
 * Kafka's {@link JsonConverter} with {@code schemas.enable=true}, writing the same bytes faster: the
 * {@code "schema"} half of the {@code {"schema": ..., "payload": ...}} envelope is serialised once
 * per schema instance and reused, and the payload is written straight to the output
 * ({@link PayloadJsonWriter}, falling back to {@code JsonConverter} for anything it does not handle).
 * A Debezium change event's schema is several times larger than its row, so this saves most of the
 * converter's work.
 * Reading ({@link #toConnectData}) is the wrapped converter's.
 *
 * <p>The output is byte-for-byte {@link JsonConverter}'s ({@code SchemaCachingJsonConverterTest}).
 * Not thread-safe, like the converter it wraps: one instance per task.
 */
public final class SchemaCachingJsonConverter implements Converter {

    private static final byte[] OPEN = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MIDDLE = ",\"payload\":".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_CACHED_SCHEMAS = 1000;

    private final JsonConverter enveloped;
    private final JsonConverter payloadOnly = new JsonConverter();
    private final JsonSerializer serializer = new JsonSerializer();
    private final PayloadJsonWriter writer;
    private final Map<Schema, byte[]> schemaJson = new IdentityHashMap<>();

    /** Wraps {@code enveloped}, already configured with {@code settings} (which enable schemas). */
    SchemaCachingJsonConverter(JsonConverter enveloped, Map<String, ?> settings, boolean isKey) {
        this.enveloped = enveloped;
        Map<String, Object> payloadSettings = new HashMap<>(settings);
        payloadSettings.put(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false");
        payloadOnly.configure(payloadSettings, isKey);
        payloadSettings.putIfAbsent(ConverterConfig.TYPE_CONFIG, isKey ? "key" : "value");
        JsonConverterConfig config = new JsonConverterConfig(payloadSettings);
        writer =
                new PayloadJsonWriter(config.decimalFormat() == DecimalFormat.NUMERIC, config.replaceNullWithDefault());
    }

    /** Whether {@code converter}, configured with {@code settings}, is one this class can stand in for. */
    static boolean canWrap(Converter converter, Map<String, ?> settings) {
        Object enabled = settings.get(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG);
        return converter.getClass() == JsonConverter.class
                && (enabled == null || Boolean.parseBoolean(enabled.toString().trim()));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        throw new IllegalStateException("configured at construction");
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (schema == null || value == null) {
            return enveloped.fromConnectData(topic, schema, value);
        }
        byte[] payload;
        try {
            payload = writer.write(schema, value);
        } catch (RuntimeException notHandled) {
            payload = payloadOnly.fromConnectData(topic, schema, value);
        }
        byte[] schemaBytes = schemaJson.get(schema);
        if (schemaBytes == null) {
            schemaBytes = serializer.serialize(topic, enveloped.asJsonSchema(schema));
            if (schema instanceof ConnectSchema) { // immutable; a SchemaBuilder could still change
                if (schemaJson.size() >= MAX_CACHED_SCHEMAS) {
                    schemaJson.clear();
                }
                schemaJson.put(schema, schemaBytes);
            }
        }
        byte[] out = new byte[OPEN.length + schemaBytes.length + MIDDLE.length + payload.length + 1];
        int at = 0;
        System.arraycopy(OPEN, 0, out, at, OPEN.length);
        at += OPEN.length;
        System.arraycopy(schemaBytes, 0, out, at, schemaBytes.length);
        at += schemaBytes.length;
        System.arraycopy(MIDDLE, 0, out, at, MIDDLE.length);
        at += MIDDLE.length;
        System.arraycopy(payload, 0, out, at, payload.length);
        out[out.length - 1] = '}';
        return out;
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return enveloped.toConnectData(topic, value);
    }

    @Override
    public void close() {
        enveloped.close();
        payloadOnly.close();
        serializer.close();
    }
}
