package io.sluice.log;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A record to append: key and value as bytes (a {@code null} value is a tombstone), headers and a
 * timestamp in epoch milliseconds. The log assigns the offset.
 */
public record Record(byte[] key, byte[] value, List<Header> headers, long timestamp) {

    public Record {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public static Record of(byte[] key, byte[] value, long timestamp) {
        return new Record(key, value, List.of(), timestamp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && timestamp == r.timestamp
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value)
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), headers, timestamp);
    }

    @Override
    public String toString() {
        return "Record[key=" + (key == null ? "null" : key.length + "B") + ", value="
                + (value == null ? "null" : value.length + "B") + ", headers=" + headers.size() + ", ts="
                + timestamp + "]";
    }
}
