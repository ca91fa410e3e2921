package io.sluice.connect.s3.format;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Encodes a Connect value (with or without a schema) as one line of JSON, as Kafka's {@code
 * JsonConverter} with {@code schemas.enable=false} would, except that decimals are written as JSON
 * numbers rather than base64. Structs become objects (fields in schema order), maps objects (keys
 * as strings), arrays arrays, bytes base64 strings; {@code Timestamp} is epoch milliseconds, {@code
 * Date} days since the epoch, {@code Time} milliseconds of the day; NaN and infinities are strings.
 * The same value always gives the same bytes.
 *
 * <p>Not thread-safe: one encoder per writer, reusing its buffer.
 */
final class JsonEncoder {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final long MS_PER_DAY = 86_400_000L;

    private byte[] buf = new byte[4096];
    private int len;

    /** Encodes {@code value} followed by a newline; the bytes are in {@link #buffer()} up to {@link #length()}. */
    void encodeLine(Schema schema, Object value) {
        len = 0;
        write(schema, value);
        put((byte) '\n');
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    private void write(Schema schema, Object value) {
        if (value == null) {
            put(NULL);
        } else if (value instanceof Struct struct) {
            writeStruct(struct);
        } else if (value instanceof CharSequence s) {
            writeString(s.toString());
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            putAscii(Long.toString(((Number) value).longValue()));
        } else if (value instanceof Boolean b) {
            put(b ? TRUE : FALSE);
        } else if (value instanceof Double || value instanceof Float) {
            writeFloating(((Number) value).doubleValue(), value);
        } else if (value instanceof BigDecimal d) {
            putAscii(d.toPlainString());
        } else if (value instanceof Date d) {
            putAscii(Long.toString(dateValue(schema, d)));
        } else if (value instanceof byte[] bytes) {
            writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof ByteBuffer bb) {
            byte[] bytes = new byte[bb.remaining()];
            bb.duplicate().get(bytes);
            writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof List<?> list) {
            writeList(schema == null ? null : schema.valueSchema(), list);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(schema == null ? null : schema.valueSchema(), map);
        } else {
            throw new DataException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private void writeStruct(Struct struct) {
        put((byte) '{');
        boolean first = true;
        for (Field field : struct.schema().fields()) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            writeString(field.name());
            put((byte) ':');
            write(field.schema(), struct.get(field));
        }
        put((byte) '}');
    }

    private void writeList(Schema elementSchema, List<?> list) {
        put((byte) '[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                put((byte) ',');
            }
            write(elementSchema, list.get(i));
        }
        put((byte) ']');
    }

    private void writeMap(Schema valueSchema, Map<?, ?> map) {
        put((byte) '{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            writeString(String.valueOf(e.getKey()));
            put((byte) ':');
            write(valueSchema, e.getValue());
        }
        put((byte) '}');
    }

    private void writeFloating(double d, Object original) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            writeString(original.toString());
        } else {
            putAscii(original.toString());
        }
    }

    private static long dateValue(Schema schema, Date d) {
        String name = schema == null ? null : schema.name();
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(name)) {
            return Math.floorDiv(d.getTime(), MS_PER_DAY);
        }
        if (org.apache.kafka.connect.data.Time.LOGICAL_NAME.equals(name)) {
            return Math.floorMod(d.getTime(), MS_PER_DAY);
        }
        return d.getTime();
    }

    private void writeString(String s) {
        // the JDK's encoder is an array copy for Latin-1 strings; then one pass finds what needs escaping
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length + 2);
        buf[len++] = '"';
        int from = 0;
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b >= 0 && (b < 0x20 || b == '"' || b == '\\')) {
                put(utf8, from, i - from);
                escape((char) b);
                from = i + 1;
            }
        }
        put(utf8, from, utf8.length - from);
        put((byte) '"');
    }

    private void put(byte[] bytes, int from, int length) {
        ensure(length);
        System.arraycopy(bytes, from, buf, len, length);
        len += length;
    }

    private void escape(char c) {
        ensure(6);
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\n' -> buf[len++] = 'n';
            case '\r' -> buf[len++] = 'r';
            case '\t' -> buf[len++] = 't';
            case '\b' -> buf[len++] = 'b';
            case '\f' -> buf[len++] = 'f';
            default -> {
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[c >> 4];
                buf[len++] = HEX[c & 0xf];
            }
        }
    }

    private void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
