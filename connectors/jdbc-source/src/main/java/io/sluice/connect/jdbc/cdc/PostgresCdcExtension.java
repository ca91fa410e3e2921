package io.sluice.connect.jdbc.cdc;

import io.sluice.core.extension.ConnectorExtension;
import io.sluice.core.extension.ExtensionContext;
import io.sluice.core.extension.Gauges;
import io.sluice.core.hub.SnapshotInfo;
import io.sluice.core.metrics.MetricNames;
import io.sluice.core.status.ReplicationSlotStatus;
import io.sluice.core.validation.Preflight;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's extension for Debezium's Postgres connector (registered in {@code
 * META-INF/services/io.sluice.core.extension.ConnectorExtension}): guardrails the hub adds around
 * it, on by default:
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
 *       (off by default: a slot kept means a re-created connector resumes without a new snapshot);
 *   <li>a preflight ({@link PostgresCdcPreflight}) that names the real cause of a connection problem.
 * </ul>
 * Thread-safe; only the hub calls it (through the SPI), never the connector.
 */
public final class PostgresCdcExtension implements ConnectorExtension {

    public static final String DROP_ON_DELETE = "sluice.cdc.drop.slot.on.delete";
    public static final String LAG_WARN_BYTES = "sluice.cdc.slot.lag.warn.bytes";
    public static final long DEFAULT_WARN = 1L << 30;
    private static final long ESTIMATE_TTL_NANOS = 30_000_000_000L;
    public static final String LAG_METRIC = "sluice.cdc.slot.lag.bytes";
    static final String SNAPSHOT_ROWS_METRIC = "sluice.cdc.snapshot.rows.scanned";
    static final String SNAPSHOT_TABLES_METRIC = "sluice.cdc.snapshot.tables.total";
    static final String SNAPSHOT_REMAINING_METRIC = "sluice.cdc.snapshot.tables.remaining";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCdcExtension.class);
    private static final Preflight PREFLIGHT = new PostgresCdcPreflight();

    private volatile Gauges gauges = Gauges.NONE;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, Boolean> warned = new ConcurrentHashMap<>();
    private final Map<String, ReplicationSlotStatus> latest = new ConcurrentHashMap<>();
    private final Map<String, String> snapshotGauges = new ConcurrentHashMap<>();
    private final Map<String, Estimate> estimates = new ConcurrentHashMap<>();

    /** Found by {@link java.util.ServiceLoader}. */
    public PostgresCdcExtension() {}

    static boolean isPostgresCdc(String connectorClass) {
        return PostgresCdcDefaults.CONNECTOR_CLASS.equals(connectorClass) || "PostgresConnector".equals(connectorClass);
    }

    @Override
    public boolean appliesTo(String connectorClass) {
        return isPostgresCdc(connectorClass);
    }

    @Override
    public void init(ExtensionContext context) {
        this.gauges = context.gauges();
    }

    /** The config a Postgres CDC connector starts with: Sluice's recommended settings under the user's. */
    @Override
    public Map<String, String> startConfig(Map<String, String> resolved) {
        return PostgresCdcDefaults.applyTo(resolved);
    }

    @Override
    public Optional<Preflight> preflight() {
        return Optional.of(PREFLIGHT);
    }

    @Override
    public boolean measuresSourceTimeLag() {
        return true;
    }

    /**
     * Measures the connector's slot now: updates its gauge, keeps the reading for the status, and
     * logs a WARN once when the lag passes the threshold. Empty when the slot or database cannot be
     * read (the reason at DEBUG) or the slot does not exist yet. Blocks for one query.
     */
    @Override
    public Optional<ReplicationSlotStatus> measureReplicationSlot(String connector, Map<String, String> resolved) {
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
        OptionalDouble max = gauges.max(MetricNames.CDC_LAG_SECONDS, connector);
        return max.isPresent() ? max.getAsDouble() : null;
    }

    /**
     * The snapshot progress of the connector's task on this worker, with an estimate of the rows of
     * its captured tables from the database's statistics (read at most every 30 s); empty when the
     * task does not run here.
     */
    @Override
    public Optional<SnapshotInfo> snapshot(String connector, Map<String, String> resolved) {
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
    @Override
    public Optional<ReplicationSlotStatus> lastReplicationSlot(String connector) {
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
            gauges.register(LAG_METRIC, c, "WAL bytes the connector's replication slot retains", "bytes", value::get);
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
        gauges.register(
                SNAPSHOT_ROWS_METRIC,
                connector,
                "Rows the CDC snapshot has read so far",
                null,
                () -> snapshot(topicPrefix)
                        .map(r -> r.rowsScanned().values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                        .orElse(0L));
        gauges.register(
                SNAPSHOT_TABLES_METRIC,
                connector,
                "Tables the CDC snapshot covers",
                null,
                () -> snapshot(topicPrefix)
                        .map(SnapshotProgress.Reading::totalTables)
                        .orElse(0));
        gauges.register(
                SNAPSHOT_REMAINING_METRIC,
                connector,
                "Tables the CDC snapshot has not finished yet",
                null,
                () -> snapshot(topicPrefix)
                        .map(SnapshotProgress.Reading::remainingTables)
                        .orElse(0));
    }

    private static Optional<SnapshotProgress.Reading> snapshot(String topicPrefix) {
        try {
            return SnapshotProgress.read(topicPrefix);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Connector deleted: forget its gauge, and drop its slot and publication when asked to. */
    @Override
    public void deleted(String connector, Map<String, String> resolved) {
        lag.remove(connector);
        latest.remove(connector);
        warned.remove(connector);
        snapshotGauges.remove(connector);
        estimates.remove(connector);
        for (String metric :
                List.of(LAG_METRIC, SNAPSHOT_ROWS_METRIC, SNAPSHOT_TABLES_METRIC, SNAPSHOT_REMAINING_METRIC)) {
            gauges.remove(metric, connector);
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
