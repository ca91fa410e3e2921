package io.sluice.connect.jdbc.query;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a table's (or query's) reading stands: the last incrementing value and the last timestamp
 * (epoch millis plus the nanosecond part, so microsecond timestamps survive the round trip). Stored
 * as the source offset {@code {"incrementing": long, "timestamp": long, "timestamp_nanos": int}},
 * the keys Confluent's JDBC source uses. Immutable.
 */
public record QueryOffset(Long incrementing, Timestamp timestamp) {

    static final String INCREMENTING = "incrementing";
    static final String TIMESTAMP = "timestamp";
    static final String TIMESTAMP_NANOS = "timestamp_nanos";

    public static QueryOffset fromMap(Map<String, ?> map) {
        if (map == null) {
            return new QueryOffset(null, null);
        }
        Long incrementing = map.get(INCREMENTING) instanceof Number n ? n.longValue() : null;
        Timestamp timestamp = null;
        if (map.get(TIMESTAMP) instanceof Number millis) {
            timestamp = new Timestamp(millis.longValue());
            if (map.get(TIMESTAMP_NANOS) instanceof Number nanos) {
                timestamp.setNanos(nanos.intValue());
            }
        }
        return new QueryOffset(incrementing, timestamp);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>(4);
        if (incrementing != null) {
            map.put(INCREMENTING, incrementing);
        }
        if (timestamp != null) {
            map.put(TIMESTAMP, timestamp.getTime());
            map.put(TIMESTAMP_NANOS, (long) timestamp.getNanos());
        }
        return map;
    }
}
