package io.sluice.connect.jdbc.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Estimates how many rows tables hold from PostgreSQL's statistics, without counting them:
 * {@code pg_class.reltuples} (set by {@code VACUUM}/{@code ANALYZE}, and by autovacuum), or, for a
 * table never analysed, {@code pg_stat_user_tables.n_live_tup}. Good enough for a progress bar; can be
 * off by the rows changed since the last analyse.
 *
 * <p>Stateless and thread-safe; {@link #of} opens one connection and runs one query per table.
 */
public final class RowEstimate {

    private static final String QUERY = """
            SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE coalesce(s.n_live_tup, 0) END
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE n.nspname = ? AND c.relname = ?""";

    private final DataSource dataSource;

    public RowEstimate(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Estimated rows per table, for tables named {@code schema.table} (a leading database name, as
     * in Debezium's {@code db.schema.table}, is ignored); tables not found are left out.
     */
    public Map<String, Long> of(Collection<String> tables) throws SQLException {
        Map<String, Long> estimates = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(QUERY)) {
            for (String table : tables) {
                String[] parts = table.split("\\.");
                if (parts.length < 2) {
                    continue;
                }
                String schema = unquote(parts[parts.length - 2]);
                String name = unquote(parts[parts.length - 1]);
                statement.setString(1, schema);
                statement.setString(2, name);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        estimates.put(schema + "." + name, rs.getLong(1));
                    }
                }
            }
        }
        return estimates;
    }

    private static String unquote(String part) {
        return part.length() > 1 && part.startsWith("\"") && part.endsWith("\"")
                ? part.substring(1, part.length() - 1)
                : part;
    }
}
