package io.sluice.worker.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.connect.jdbc.cdc.PostgresCdcDefaults;
import io.sluice.connect.jdbc.cdc.ReplicationCleanup;
import io.sluice.connect.jdbc.cdc.RowEstimate;
import io.sluice.connect.jdbc.cdc.SlotLagProbe;
import io.sluice.connect.jdbc.cdc.SnapshotProgress;
import io.sluice.core.hub.SnapshotInfo;
import io.sluice.core.status.ReplicationSlotStatus;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guardrails the hub adds around Debezium's Postgres connector, on by default:
 * <ul>
 *   <li>its recommended settings ({@link PostgresCdcDefaults}: heartbeats, filtered publication,
 *       delivered truncates, ...) under the user's own, applied when the connector starts;
 *   <li>the WAL its replication slot retains, as the gauge {@code sluice.cdc.slot.lag.bytes}
 *       (tag {@code connector}) and in the connector's status, with a warning (status text and one
 *       WARN log line) when it passes {@code sluice.cdc.slot.lag.warn.bytes} (default 1 GiB);
 *   <li>how many seconds its tasks are behind the database ({@code sluice.cdc.lag.seconds}, tags
 *       {@code connector} and {@code task}, registered with the task's metrics) in the slot's reading;
 *   <li>snapshot progress gauges ({@code sluice.cdc.snapshot.*});
 *   <li>on delete, the slot and publication dropped when {@code sluice.cdc.drop.slot.on.delete=true}
 *       (off by default: a slot kept means a re-created connector resumes without a new snapshot).
 * </ul>
 * Thread-safe.
 */
final class PostgresCdcSupport {

    static final String DROP_ON_DELETE = "sluice.cdc.drop.slot.on.delete";
    static final String LAG_WARN_BYTES = "sluice.cdc.slot.lag.warn.bytes";
    private static final long DEFAULT_WARN = 1L << 30;
    private static final long ESTIMATE_TTL_NANOS = 30_000_000_000L;
    static final String LAG_METRIC = "sluice.cdc.slot.lag.bytes";
    static final String SNAPSHOT_ROWS_METRIC = "sluice.cdc.snapshot.rows.scanned";
    static final String SNAPSHOT_TABLES_METRIC = "sluice.cdc.snapshot.tables.total";
    static final String SNAPSHOT_REMAINING_METRIC = "sluice.cdc.snapshot.tables.remaining";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCdcSupport.class);

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, Boolean> warned = new ConcurrentHashMap<>();
    private final Map<String, ReplicationSlotStatus> latest = new ConcurrentHashMap<>();
    private final Map<String, String> snapshotGauges = new ConcurrentHashMap<>();
    private final Map<String, Estimate> estimates = new ConcurrentHashMap<>();

    PostgresCdcSupport(MeterRegistry registry) {
        this.registry = registry;
    }

    static boolean isPostgresCdc(Map<String, String> config) {
        return PostgresCdcDefaults.CONNECTOR_CLASS.equals(config.get("connector.class"))
                || "PostgresConnector".equals(config.get("connector.class"));
    }

    /** The config a Postgres CDC connector starts with: Sluice's recommended settings under the user's. */
    static Map<String, String> withDefaults(Map<String, String> resolved) {
        return isPostgresCdc(resolved) ? PostgresCdcDefaults.applyTo(resolved) : resolved;
    }

    /**
     * Measures the connector's slot now: updates its gauge, keeps the reading for the status, and
     * logs a WARN once when the lag passes the threshold. Empty when the slot or database cannot be
     * read (the reason at DEBUG) or the slot does not exist yet. Blocks for one query.
     */
    Optional<ReplicationSlotStatus> probe(String connector, Map<String, String> resolved) {
        registerSnapshotGauges(connector, resolved.get("topic.prefix"));
        String slot = resolved.getOrDefault("slot.name", "debezium");
        long warn = warnBytes(resolved);
        Optional<SlotLagProbe.SlotLag> measured;
        try {
            measured = new SlotLagProbe(dataSource(resolved)).measure(slot);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Slot lag of {} not measured: {}", connector, e.toString());
            return Optional.empty();
        }
        if (measured.isEmpty()) {
            return Optional.empty();
        }
        SlotLagProbe.SlotLag lag = measured.get();
        long bytes = lag.retainedWalBytes();
        String warning = bytes > warn
                ? "Replication slot " + slot + " retains " + bytes + " bytes of WAL, above the warning threshold of "
                        + warn + " (" + LAG_WARN_BYTES + "): is the connector running, and are heartbeats on?"
                : null;
        ReplicationSlotStatus status = new ReplicationSlotStatus(
                slot, lag.active(), bytes, lag.unconfirmedBytes(), warn, warning, Instant.now(), lagSeconds(connector));
        latest.put(connector, status);
        lagGauge(connector).set(bytes);
        if (warning != null && warned.putIfAbsent(connector, true) == null) {
            LOG.warn("Connector {}: {}", connector, warning);
        } else if (warning == null) {
            warned.remove(connector);
        }
        return Optional.of(status);
    }

    /**
     * The largest {@code sluice.cdc.lag.seconds} of the connector's tasks on this worker, or null
     * when none runs here.
     */
    private Double lagSeconds(String connector) {
        return registry
                .find(io.sluice.core.metrics.MetricNames.CDC_LAG_SECONDS)
                .tag(io.sluice.core.metrics.MetricNames.TAG_CONNECTOR, connector)
                .gauges()
                .stream()
                .map(Gauge::value)
                .filter(v -> !Double.isNaN(v))
                .max(Double::compare)
                .orElse(null);
    }

    /**
     * The snapshot progress of the connector's task on this worker, with an estimate of the rows of
     * its captured tables from the database's statistics (read at most every 30 s); empty when the
     * task does not run here.
     */
    Optional<SnapshotInfo> snapshot(String connector, Map<String, String> resolved) {
        String prefix = resolved.get("topic.prefix");
        if (prefix == null) {
            return Optional.empty();
        }
        return snapshot(prefix)
                .map(r -> new SnapshotInfo(
                        connector,
                        r.running(),
                        r.completed(),
                        r.aborted(),
                        r.totalTables(),
                        r.remainingTables(),
                        r.rowsScanned(),
                        r.durationSeconds(),
                        rowEstimate(connector, resolved, r.capturedTables())));
    }

    private Map<String, Long> rowEstimate(String connector, Map<String, String> resolved, List<String> tables) {
        Estimate cached = estimates.get(connector);
        long now = System.nanoTime();
        if (cached != null && cached.tables.equals(tables) && now - cached.at < ESTIMATE_TTL_NANOS) {
            return cached.rows;
        }
        try {
            Map<String, Long> rows = new RowEstimate(dataSource(resolved)).of(tables);
            estimates.put(connector, new Estimate(tables, rows, now));
            return rows;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Row estimate of {} not read: {}", connector, e.toString());
            return cached == null ? Map.of() : cached.rows;
        }
    }

    private record Estimate(List<String> tables, Map<String, Long> rows, long at) {}

    /** The last reading of the connector's slot, without asking the database. */
    Optional<ReplicationSlotStatus> latest(String connector) {
        return Optional.ofNullable(latest.get(connector));
    }

    private static long warnBytes(Map<String, String> resolved) {
        String value = resolved.get(LAG_WARN_BYTES);
        try {
            return value == null ? DEFAULT_WARN : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return DEFAULT_WARN;
        }
    }

    private AtomicLong lagGauge(String connector) {
        return lag.computeIfAbsent(connector, c -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(LAG_METRIC, value, AtomicLong::get)
                    .tag("connector", c)
                    .description("WAL bytes the connector's replication slot retains")
                    .baseUnit("bytes")
                    .register(registry);
            return value;
        });
    }

    /**
     * Snapshot progress as gauges read from Debezium's snapshot metrics when scraped:
     * {@code sluice.cdc.snapshot.rows.scanned}, {@code sluice.cdc.snapshot.tables.total} and
     * {@code sluice.cdc.snapshot.tables.remaining} (0 when the task does not run on this worker).
     */
    private void registerSnapshotGauges(String connector, String topicPrefix) {
        if (topicPrefix == null || snapshotGauges.putIfAbsent(connector, topicPrefix) != null) {
            return;
        }
        Gauge.builder(
                        SNAPSHOT_ROWS_METRIC,
                        () -> snapshot(topicPrefix)
                                .map(r -> r.rowsScanned().values().stream()
                                        .mapToLong(Long::longValue)
                                        .sum())
                                .orElse(0L))
                .tag("connector", connector)
                .description("Rows the CDC snapshot has read so far")
                .register(registry);
        Gauge.builder(
                        SNAPSHOT_TABLES_METRIC,
                        () -> snapshot(topicPrefix)
                                .map(SnapshotProgress.Reading::totalTables)
                                .orElse(0))
                .tag("connector", connector)
                .description("Tables the CDC snapshot covers")
                .register(registry);
        Gauge.builder(
                        SNAPSHOT_REMAINING_METRIC,
                        () -> snapshot(topicPrefix)
                                .map(SnapshotProgress.Reading::remainingTables)
                                .orElse(0))
                .tag("connector", connector)
                .description("Tables the CDC snapshot has not finished yet")
                .register(registry);
    }

    private static Optional<SnapshotProgress.Reading> snapshot(String topicPrefix) {
        try {
            return SnapshotProgress.read(topicPrefix);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Connector deleted: forget its gauge, and drop its slot and publication when asked to. */
    void deleted(String connector, Map<String, String> resolved) {
        lag.remove(connector);
        latest.remove(connector);
        warned.remove(connector);
        snapshotGauges.remove(connector);
        estimates.remove(connector);
        for (String metric :
                List.of(LAG_METRIC, SNAPSHOT_ROWS_METRIC, SNAPSHOT_TABLES_METRIC, SNAPSHOT_REMAINING_METRIC)) {
            registry.find(metric).tag("connector", connector).meters().forEach(registry::remove);
        }
        if (!Boolean.parseBoolean(resolved.getOrDefault(DROP_ON_DELETE, "false"))) {
            return;
        }
        String slot = resolved.getOrDefault("slot.name", "debezium");
        String publication = resolved.getOrDefault("publication.name", "dbz_publication");
        try {
            ReplicationCleanup.Result result =
                    new ReplicationCleanup(dataSource(resolved)).dropSlotAndPublication(slot, publication);
            LOG.info(
                    "Connector {} deleted: slot {} dropped: {}, publication {} dropped: {}",
                    connector,
                    slot,
                    result.slotDropped(),
                    publication,
                    result.publicationDropped());
        } catch (SQLException e) {
            LOG.warn(
                    "Connector {} deleted, but its slot {} / publication {} could not be dropped: {}",
                    connector,
                    slot,
                    publication,
                    e.getMessage());
        }
    }

    private static PGSimpleDataSource dataSource(Map<String, String> c) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {c.getOrDefault("database.hostname", "localhost")});
        ds.setPortNumbers(new int[] {Integer.parseInt(c.getOrDefault("database.port", "5432"))});
        ds.setDatabaseName(c.get("database.dbname"));
        ds.setUser(c.get("database.user"));
        ds.setPassword(c.get("database.password"));
        ds.setConnectTimeout(10);
        return ds;
    }
}
