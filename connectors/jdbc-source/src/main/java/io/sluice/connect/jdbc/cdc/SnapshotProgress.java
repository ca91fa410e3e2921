package io.sluice.connect.jdbc.cdc;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Reads the snapshot metrics Debezium's Postgres task registers in the JVM's platform MBean server
 * ({@code debezium.postgres:type=connector-metrics,context=snapshot,server=<topic.prefix>}), so the
 * hub can show snapshot progress without knowing Debezium's classes. The MBean exists while the
 * task runs (in the same JVM as the caller).
 *
 * <p>Stateless and thread-safe; each {@link #read} is a handful of MBean attribute reads.
 */
public final class SnapshotProgress {

    /**
     * One reading. {@code rowsScanned} is per table ({@code schema.table} to rows read so far);
     * {@code totalTables}/{@code remainingTables} count the tables the snapshot covers;
     * {@code capturedTables} names the tables the connector captures ({@code schema.table}, possibly
     * prefixed by the database).
     */
    public record Reading(
            boolean running,
            boolean completed,
            boolean aborted,
            int totalTables,
            int remainingTables,
            Map<String, Long> rowsScanned,
            long durationSeconds,
            java.util.List<String> capturedTables) {}

    private SnapshotProgress() {}

    /** The snapshot metrics of the Postgres connector with this {@code topic.prefix}, if its task runs here. */
    public static Optional<Reading> read(String topicPrefix) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            Set<ObjectName> names = server.queryNames(
                    new ObjectName("debezium.postgres:type=connector-metrics," + "context=snapshot,server="
                            + ObjectName.quote(topicPrefix).replace("\"", "") + ",*"),
                    null);
            if (names.isEmpty()) {
                return Optional.empty();
            }
            ObjectName name = names.iterator().next();
            Map<String, Long> rows = rowsScanned(server.getAttribute(name, "RowsScanned"));
            return Optional.of(new Reading(
                    (Boolean) server.getAttribute(name, "SnapshotRunning"),
                    (Boolean) server.getAttribute(name, "SnapshotCompleted"),
                    (Boolean) server.getAttribute(name, "SnapshotAborted"),
                    ((Number) server.getAttribute(name, "TotalTableCount")).intValue(),
                    ((Number) server.getAttribute(name, "RemainingTableCount")).intValue(),
                    rows,
                    ((Number) server.getAttribute(name, "SnapshotDurationInSeconds")).longValue(),
                    capturedTables(server.getAttribute(name, "CapturedTables"))));
        } catch (JMException e) {
            throw new IllegalStateException("Cannot read Debezium snapshot metrics for " + topicPrefix, e);
        }
    }

    private static java.util.List<String> capturedTables(Object attribute) {
        return attribute instanceof String[] tables ? java.util.List.of(tables) : java.util.List.of();
    }

    /** An MXBean exposes {@code Map<String, Long>} as open-type tabular data with key/value rows. */
    private static Map<String, Long> rowsScanned(Object attribute) {
        Map<String, Long> rows = new java.util.TreeMap<>();
        if (attribute instanceof javax.management.openmbean.TabularData table) {
            for (Object row : table.values()) {
                javax.management.openmbean.CompositeData entry = (javax.management.openmbean.CompositeData) row;
                rows.put((String) entry.get("key"), ((Number) entry.get("value")).longValue());
            }
        } else if (attribute instanceof Map<?, ?> map) {
            map.forEach((k, v) -> rows.put(String.valueOf(k), ((Number) v).longValue()));
        }
        return Map.copyOf(rows);
    }
}
