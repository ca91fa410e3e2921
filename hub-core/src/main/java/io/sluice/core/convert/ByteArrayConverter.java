package io.sluice.core.convert;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

/**
 * Passes {@code byte[]} values through unchanged, with an optional bytes schema. Kafka ships this
 * converter only in connect-runtime, which the hub does not use; configs naming {@code
 * org.apache.kafka.connect.converters.ByteArrayConverter} are mapped to this class.
 *
 * <p>Stateless and thread-safe.
 */
public class ByteArrayConverter implements Converter, HeaderConverter {

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (schema != null && schema.type() != Schema.Type.BYTES) {
            throw new DataException("ByteArrayConverter needs a BYTES schema, got " + schema.type());
        }
        if (value != null && !(value instanceof byte[])) {
            throw new DataException("ByteArrayConverter needs byte[] values, got "
                    + value.getClass().getName());
        }
        return (byte[]) value;
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, value);
    }

    @Override
    public SchemaAndValue toConnectHeader(String topic, String headerKey, byte[] value) {
        return toConnectData(topic, value);
    }

    @Override
    public byte[] fromConnectHeader(String topic, String headerKey, Schema schema, Object value) {
        return fromConnectData(topic, schema, value);
    }

    @Override
    public String version() {
        String version = ByteArrayConverter.class.getPackage().getImplementationVersion();
        return version == null ? "undefined" : version;
    }

    @Override
    public void close() {}
}
