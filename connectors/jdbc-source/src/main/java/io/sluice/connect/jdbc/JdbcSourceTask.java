package io.sluice.connect.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.connect.jdbc.query.QuerySettings;
import io.sluice.connect.jdbc.query.TableQuerier;
import io.sluice.connect.jdbc.table.TableId;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls its tables (or the custom query) in turn, each at most every {@code poll.interval.ms}, and
 * returns up to {@code batch.max.rows} rows per {@link #poll()}.
 *
 * <p>Threading (as {@link SourceTask} specifies): {@link #poll()} runs on the task's thread and
 * blocks at most about a second before returning (null when nothing is due), so the host can pause
 * or stop it; {@link #stop()} is called from another thread and wakes a waiting {@code poll()}.
 *
 * <p>Failures: a failed query or lost connection never fails the task. The querier is closed, its
 * table backs off ({@code connection.backoff.ms}, doubling up to 30 s) while the other tables carry
 * on, and it resumes from the offset of the last row returned, so nothing is lost or repeated. Only
 * a query failing {@code query.retry.attempts} times in a row with its connection intact, or a
 * configuration problem found in the data (an unmappable column, a nullable offset column), fails
 * the task.
 */
public final class JdbcSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSourceTask.class);
    private static final long MAX_WAIT_MS = 1000;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;
    private HikariDataSource pool;
    private List<Scheduled> queriers;
    private int batchMaxRows;
    private long pollIntervalMs;
    private long backoffMs;
    private int retryAttempts;

    /** One querier with its schedule; touched by the polling thread only. */
    private static final class Scheduled {
        final TableQuerier querier;
        long dueAtMs;
        int failures;

        Scheduled(TableQuerier querier) {
            this.querier = querier;
        }
    }

    @Override
    public String version() {
        return JdbcSourceConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        JdbcSourceConfig config = new JdbcSourceConfig(JdbcSourceConfig.taskConfigDef(), props);
        batchMaxRows = config.getInt(JdbcSourceConfig.BATCH_MAX_ROWS);
        pollIntervalMs = config.getInt(JdbcSourceConfig.POLL_INTERVAL_MS);
        backoffMs = config.getLong(JdbcSourceConfig.CONNECTION_BACKOFF_MS);
        retryAttempts = config.getInt(JdbcSourceConfig.QUERY_RETRY_ATTEMPTS);
        pool = newPool(config);
        QuerySettings settings = QuerySettings.from(config);

        List<TableId> tables = config.isQueryMode()
                ? java.util.Collections.singletonList(null)
                : config.getList(JdbcSourceConfig.TASK_TABLES).stream()
                        .map(TableId::parse)
                        .toList();
        List<Map<String, String>> partitions =
                tables.stream().map(TableQuerier::sourcePartition).toList();
        Map<Map<String, String>, Map<String, Object>> offsets =
                context.offsetStorageReader().offsets(partitions);
        queriers = new ArrayList<>();
        for (TableId table : tables) {
            Map<String, Object> offset = offsets == null ? null : offsets.get(TableQuerier.sourcePartition(table));
            queriers.add(new Scheduled(new TableQuerier(table, settings, pool, offset)));
        }
        running = true;
        LOG.info(
                "JDBC source task started: {} in mode {}",
                config.isQueryMode() ? "custom query" : tables,
                config.mode().configName());
    }

    private static HikariDataSource newPool(JdbcSourceConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.connectionUrl());
        hikari.setUsername(config.connectionUser());
        hikari.setPassword(config.connectionPassword());
        hikari.setPoolName("jdbc-source-" + config.topicPrefix());
        hikari.setMaximumPoolSize(1); // one querier streams at a time
        hikari.setMinimumIdle(0);
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(-1); // a database that is down now is retried by poll()
        hikari.setReadOnly(false);
        return new HikariDataSource(hikari);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long deadline = System.currentTimeMillis() + MAX_WAIT_MS;
        while (running) {
            Scheduled next = nextDue();
            long waitMs = next.dueAtMs - System.currentTimeMillis();
            if (waitMs > 0) {
                long remaining = deadline - System.currentTimeMillis();
                if (remaining <= 0 || stopped.await(Math.min(waitMs, remaining), TimeUnit.MILLISECONDS)) {
                    return null;
                }
                continue;
            }
            List<SourceRecord> records = pollOne(next);
            if (records != null && !records.isEmpty()) {
                return records;
            }
            if (System.currentTimeMillis() >= deadline) {
                return null;
            }
        }
        return null;
    }

    private Scheduled nextDue() {
        Scheduled next = queriers.get(0);
        for (Scheduled candidate : queriers) {
            if (candidate.dueAtMs < next.dueAtMs) {
                next = candidate;
            }
        }
        return next;
    }

    private List<SourceRecord> pollOne(Scheduled scheduled) {
        try {
            List<SourceRecord> records = scheduled.querier.poll(batchMaxRows);
            scheduled.failures = 0;
            if (!scheduled.querier.streaming()) {
                scheduled.dueAtMs = System.currentTimeMillis() + pollIntervalMs;
            }
            return records;
        } catch (SQLException e) {
            scheduled.querier.close();
            if (!running) {
                return null;
            }
            scheduled.failures++;
            boolean connectionLost = isConnectionProblem(e);
            if (!connectionLost && retryAttempts >= 0 && scheduled.failures > retryAttempts) {
                throw new ConnectException(
                        "Polling " + scheduled.querier.source() + " failed " + scheduled.failures + " times in a row",
                        e);
            }
            long delay = Math.min(MAX_BACKOFF_MS, backoffMs << Math.min(20, scheduled.failures - 1));
            scheduled.dueAtMs = System.currentTimeMillis() + delay;
            LOG.warn(
                    "Polling {} failed ({}, SQLState {}); retrying from its last offset in {} ms: {}",
                    scheduled.querier.source(),
                    connectionLost ? "connection lost" : "query failed",
                    e.getSQLState(),
                    delay,
                    e.getMessage());
            return null;
        }
    }

    /** Connection exceptions (SQLState class 08), server shutdown/termination (57P0x), and the JDBC transient kinds. */
    static boolean isConnectionProblem(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08")
                        || state.startsWith("57P")
                        || state.startsWith("53")
                        || state.startsWith("40")
                        || state.equals("HY000")
                                && sql.getMessage() != null
                                && sql.getMessage().toLowerCase().contains("connection")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void stop() {
        running = false;
        stopped.countDown();
        HikariDataSource dataSource = pool;
        if (dataSource != null) {
            dataSource.close(); // a poll() blocked on the database fails fast and returns null
        }
        LOG.info("JDBC source task stopped");
    }

    /** For tests: the tables this task polls. */
    Collection<String> sources() {
        return queriers.stream().map(s -> s.querier.source()).toList();
    }
}
