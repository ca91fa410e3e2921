package io.sluice.connect.jdbc.table;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that lists the tables every {@code interval} and, when the set changed (a table
 * added or dropped), stores the new set and calls {@code onChange} (the connector then asks its
 * context for a task reconfiguration). A failed listing is logged and tried again next interval;
 * the last good set stays in use.
 *
 * <p>Thread-safe: {@link #tables()} may be called from any thread; {@link #close()} stops the thread
 * and waits for it.
 */
public final class TableMonitor implements AutoCloseable {

    /** Opens a connection to list tables with; the monitor closes it. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(TableMonitor.class);

    private final ConnectionSource connections;
    private final TableLister lister;
    private final Duration interval;
    private final Consumer<Set<TableId>> onChange;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile Set<TableId> tables;

    /** Lists the tables once (throwing if that fails), then starts watching. */
    public TableMonitor(
            ConnectionSource connections, TableLister lister, Duration interval, Consumer<Set<TableId>> onChange)
            throws SQLException {
        this.connections = connections;
        this.lister = lister;
        this.interval = interval;
        this.onChange = onChange;
        this.tables = listNow();
        this.thread = new Thread(this::run, "jdbc-source-table-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    public Set<TableId> tables() {
        return tables;
    }

    private Set<TableId> listNow() throws SQLException {
        try (Connection connection = connections.open()) {
            return Set.copyOf(lister.list(connection));
        }
    }

    private void run() {
        try {
            while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                Set<TableId> current;
                try {
                    current = listNow();
                } catch (SQLException e) {
                    LOG.warn("Cannot list tables, keeping the last known {} tables: {}", tables.size(), e.getMessage());
                    continue;
                }
                if (!current.equals(tables)) {
                    LOG.info("Tables changed from {} to {}: requesting task reconfiguration", tables, current);
                    tables = current;
                    onChange.accept(current);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        try {
            thread.join(interval.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
