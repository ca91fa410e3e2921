package io.sluice.connect.jdbc.query;

import io.sluice.connect.jdbc.JdbcSourceConfig.Mode;
import io.sluice.connect.jdbc.table.TableId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SELECT one mode runs against a table or a custom query. Parameters, in order:
 * incrementing: last id; timestamp: last ts, end ts; timestamp+incrementing: end ts, last ts,
 * last id, last ts. The end ts is the database's now minus {@code timestamp.delay.interval.ms}.
 */
record QueryStatement(String sql) {

    static QueryStatement forSource(
            Mode mode, TableId table, String customQuery, String incrementing, List<String> timestamps, String quote) {
        String from = table != null
                ? "SELECT * FROM " + table.quoted(quote)
                : mode == Mode.BULK ? customQuery : "SELECT * FROM (" + customQuery + ") sluice_query";
        String inc = TableId.quote(incrementing, quote);
        String ts = timestamps.size() == 1
                ? TableId.quote(timestamps.get(0), quote)
                : timestamps.stream()
                        .map(c -> TableId.quote(c, quote))
                        .collect(Collectors.joining(", ", "COALESCE(", ")"));
        return new QueryStatement(
                switch (mode) {
                    case BULK -> from;
                    case INCREMENTING -> from + " WHERE " + inc + " > ? ORDER BY " + inc + " ASC";
                    case TIMESTAMP -> from + " WHERE " + ts + " > ? AND " + ts + " < ? ORDER BY " + ts + " ASC";
                    case TIMESTAMP_INCREMENTING ->
                        from + " WHERE " + ts + " < ? AND ((" + ts + " = ? AND " + inc + " > ?) OR " + ts
                                + " > ?) ORDER BY " + ts + ", " + inc + " ASC";
                });
    }
}
