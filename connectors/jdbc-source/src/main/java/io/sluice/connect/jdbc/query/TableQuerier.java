package io.sluice.connect.jdbc.query;

import io.sluice.connect.jdbc.JdbcSourceConfig;
import io.sluice.connect.jdbc.JdbcSourceConfig.Mode;
import io.sluice.connect.jdbc.schema.RowMapper;
import io.sluice.connect.jdbc.table.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import javax.sql.DataSource;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Reads one table (or the custom query) in the configured mode. One execution of the SELECT is
 * streamed over as many {@link #poll} calls as it takes ({@code batch.max.rows} per call) on one
 * connection held until the result is exhausted; then the connection goes back to the pool and the
 * next execution starts from the offset of the last row returned.
 *
 * <p>Not thread-safe: used by its task's polling thread only. After a {@link SQLException},
 * {@link #close()} it; the next {@link #poll} starts again from the last returned offset.
 */
public final class TableQuerier {

    private final TableId table;
    private final QuerySettings settings;
    private final DataSource dataSource;
    private final Map<String, String> partition;
    private final String topic;
    private final Calendar dbCalendar;
    private QueryOffset offset;

    private Connection connection;
    private PreparedStatement statement;
    private ResultSet resultSet;
    private RowMapper mapper;
    private boolean nonNullChecked;

    /** For a table; {@code table} null means the custom query. */
    public TableQuerier(TableId table, QuerySettings settings, DataSource dataSource, Map<String, ?> storedOffset) {
        this.table = table;
        this.settings = settings;
        this.dataSource = dataSource;
        this.partition = sourcePartition(table);
        this.topic = table == null ? settings.topicPrefix() : settings.topicPrefix() + table.name();
        this.dbCalendar = Calendar.getInstance(TimeZone.getTimeZone(settings.dbZone()));
        this.offset = QueryOffset.fromMap(storedOffset);
    }

    /** The source partition: {@code {"table": "schema.table"}} or {@code {"query": "query"}}. */
    public static Map<String, String> sourcePartition(TableId table) {
        return table == null ? Map.of("query", "query") : Map.of("table", table.toString());
    }

    public Map<String, String> partition() {
        return partition;
    }

    /** What this querier reads, for logs and errors. */
    public String source() {
        return table == null ? "custom query" : "table " + table;
    }

    /** True while an execution's result still has rows to return. */
    public boolean streaming() {
        return resultSet != null;
    }

    /** Up to {@code maxRows} records; starts a new execution if none is streaming. Blocks on the database. */
    public List<SourceRecord> poll(int maxRows) throws SQLException {
        if (resultSet == null) {
            execute(maxRows);
        }
        List<SourceRecord> records = new ArrayList<>(Math.min(maxRows, 1024));
        while (records.size() < maxRows) {
            if (!resultSet.next()) {
                close();
                break;
            }
            records.add(toRecord());
        }
        return records;
    }

    private void execute(int fetchSize) throws SQLException {
        String quote;
        try {
            connection = dataSource.getConnection();
            // PostgreSQL streams with a cursor (fetch size) only outside autocommit.
            connection.setAutoCommit(false);
            quote = connection.getMetaData().getIdentifierQuoteString();
            QueryStatement query = QueryStatement.forSource(
                    settings.mode(),
                    table,
                    settings.customQuery(),
                    settings.incrementingColumn(),
                    settings.timestampColumns(),
                    quote);
            statement =
                    connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(fetchSize);
            bind(statement);
            resultSet = statement.executeQuery();
            ResultSetMetaData metaData = resultSet.getMetaData();
            checkNonNull(metaData);
            String name = table == null ? settings.topicPrefix() : table.name();
            mapper = settings.mapping().mapperFor(name, metaData);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void bind(PreparedStatement ps) throws SQLException {
        Mode mode = settings.mode();
        if (mode == Mode.BULK) {
            return;
        }
        long lastId = offset.incrementing() == null ? Long.MIN_VALUE : offset.incrementing();
        if (mode == Mode.INCREMENTING) {
            ps.setLong(1, lastId);
            return;
        }
        Timestamp end = endTimestamp();
        Timestamp lastTs = offset.timestamp() == null ? initialTimestamp(end) : offset.timestamp();
        if (mode == Mode.TIMESTAMP) {
            ps.setTimestamp(1, lastTs, dbCalendar);
            ps.setTimestamp(2, end, dbCalendar);
        } else {
            ps.setTimestamp(1, end, dbCalendar);
            ps.setTimestamp(2, lastTs, dbCalendar);
            ps.setLong(3, lastId);
            ps.setTimestamp(4, lastTs, dbCalendar);
        }
    }

    /** The database's now minus the delay: newer rows wait, in case older transactions still commit. */
    private Timestamp endTimestamp() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            rs.next();
            Timestamp now = rs.getTimestamp(1, dbCalendar);
            return new Timestamp(now.getTime() - settings.timestampDelayMs());
        }
    }

    private Timestamp initialTimestamp(Timestamp end) {
        Long initial = settings.timestampInitial();
        if (initial == null) {
            return new Timestamp(0L);
        }
        if (initial == JdbcSourceConfig.TIMESTAMP_INITIAL_CURRENT) {
            // Fixed once, so a later execution does not skip rows stamped between the two.
            Timestamp start = new Timestamp(end.getTime() + settings.timestampDelayMs());
            offset = new QueryOffset(offset.incrementing(), start);
            return start;
        }
        return new Timestamp(initial);
    }

    private void checkNonNull(ResultSetMetaData md) throws SQLException {
        if (nonNullChecked || !settings.validateNonNull() || settings.mode() == Mode.BULK) {
            return;
        }
        List<String> columns = new ArrayList<>();
        if (settings.mode().usesIncrementing()) {
            columns.add(settings.incrementingColumn());
        }
        if (settings.mode().usesTimestamp() && settings.timestampColumns().size() == 1) {
            columns.add(settings.timestampColumns().get(0));
        }
        for (String column : columns) {
            int index = indexOf(md, column);
            if (index < 0) {
                throw new ConnectException("Column " + column + " not found in " + source());
            }
            if (md.isNullable(index) != ResultSetMetaData.columnNoNulls && table != null) {
                throw new ConnectException("Column " + column + " of " + source() + " may be NULL, so rows could be "
                        + "missed; make it NOT NULL or set " + JdbcSourceConfig.VALIDATE_NON_NULL + "=false");
            }
        }
        nonNullChecked = true;
    }

    private static int indexOf(ResultSetMetaData md, String column) throws SQLException {
        for (int i = 1; i <= md.getColumnCount(); i++) {
            if (md.getColumnLabel(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    private SourceRecord toRecord() throws SQLException {
        var value = mapper.map(resultSet);
        Map<String, Object> sourceOffset = null;
        if (settings.mode() != Mode.BULK) {
            Long id = settings.mode().usesIncrementing() ? resultSet.getLong(settings.incrementingColumn()) : null;
            Timestamp ts = settings.mode().usesTimestamp() ? rowTimestamp() : null;
            offset = new QueryOffset(id, ts);
            sourceOffset = offset.toMap();
        }
        return new SourceRecord(partition, sourceOffset, topic, null, null, mapper.schema(), value);
    }

    private Timestamp rowTimestamp() throws SQLException {
        for (String column : settings.timestampColumns()) {
            Timestamp ts = resultSet.getTimestamp(column, dbCalendar);
            if (ts != null) {
                return ts;
            }
        }
        return offset.timestamp();
    }

    /** Ends the current execution, if any, and returns its connection to the pool. Never throws. */
    public void close() {
        closeQuietly(resultSet);
        closeQuietly(statement);
        if (connection != null) {
            try {
                connection.rollback(); // read-only work; ends the transaction that held the cursor
            } catch (SQLException | RuntimeException ignored) {
                // a broken connection: the pool evicts it on close
            }
            closeQuietly(connection);
        }
        resultSet = null;
        statement = null;
        connection = null;
        mapper = null;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing more to release
        }
    }
}
