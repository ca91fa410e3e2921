package io.sluice.worker.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.connect.jdbc.cdc.PostgresCdcDefaults;
import io.sluice.connect.jdbc.cdc.ReplicationCleanup;
import io.sluice.connect.jdbc.cdc.SlotLagProbe;
import java.sql.SQLException;
import java.util.Map;
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
 *       (tag {@code connector}), with a WARN when it passes {@code sluice.cdc.slot.lag.warn.bytes}
 *       (default 1 GiB);
 *   <li>on delete, the slot and publication dropped when {@code sluice.cdc.drop.slot.on.delete=true}
 *       (off by default: a slot kept means a re-created connector resumes without a new snapshot).
 * </ul>
 * Thread-safe.
 */
final class PostgresCdcSupport {

    static final String DROP_ON_DELETE = "sluice.cdc.drop.slot.on.delete";
    static final String LAG_WARN_BYTES = "sluice.cdc.slot.lag.warn.bytes";
    private static final long DEFAULT_WARN = 1L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCdcSupport.class);

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, Boolean> warned = new ConcurrentHashMap<>();

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

    /** Measures the slot lag of every running Postgres CDC connector (called periodically). */
    void probe(String connector, Map<String, String> resolved) {
        String slot = resolved.getOrDefault("slot.name", "debezium");
        try {
            long bytes = new SlotLagProbe(dataSource(resolved))
                    .measure(slot)
                    .map(SlotLagProbe.SlotLag::retainedWalBytes)
                    .orElse(0L);
            lag.computeIfAbsent(connector, c -> {
                        AtomicLong value = new AtomicLong();
                        Gauge.builder("sluice.cdc.slot.lag.bytes", value, AtomicLong::get)
                                .tag("connector", c)
                                .description("WAL bytes the connector's replication slot retains")
                                .register(registry);
                        return value;
                    })
                    .set(bytes);
            long warn = Long.parseLong(resolved.getOrDefault(LAG_WARN_BYTES, Long.toString(DEFAULT_WARN)));
            if (bytes > warn && warned.putIfAbsent(connector, true) == null) {
                LOG.warn(
                        "Replication slot {} of connector {} retains {} bytes of WAL (warning threshold {}): is the"
                                + " connector running and are heartbeats on?",
                        slot,
                        connector,
                        bytes,
                        warn);
            } else if (bytes <= warn) {
                warned.remove(connector);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Slot lag of {} not measured: {}", connector, e.toString());
        }
    }

    /** Connector deleted: forget its gauge, and drop its slot and publication when asked to. */
    void deleted(String connector, Map<String, String> resolved) {
        AtomicLong gauge = lag.remove(connector);
        if (gauge != null) {
            registry.find("sluice.cdc.slot.lag.bytes")
                    .tag("connector", connector)
                    .meters()
                    .forEach(registry::remove);
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
