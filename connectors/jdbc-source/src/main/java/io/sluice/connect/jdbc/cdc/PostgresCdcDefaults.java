package io.sluice.connect.jdbc.cdc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings Sluice recommends for Debezium's {@code io.debezium.connector.postgresql.PostgresConnector},
 * merged under a user's connector config (the user's values always win). Why each one, in
 * {@code docs/postgres-cdc.md}:
 *
 * <ul>
 *   <li>{@code plugin.name=pgoutput}: built into PostgreSQL 10+, nothing to install.
 *   <li>{@code heartbeat.interval.ms=10000}: an idle connector still acknowledges WAL, so its slot
 *       does not pin WAL that other databases write (add {@code heartbeat.action.query} on a table in
 *       the publication for a database whose own tables are idle).
 *   <li>{@code publication.autocreate.mode=filtered}: the publication holds only the included tables.
 *   <li>{@code slot.drop.on.stop=false}: a stopped or moved task resumes from its slot without a
 *       re-snapshot; the slot is dropped explicitly when the connector is deleted.
 *   <li>{@code skipped.operations=none}: truncates are delivered ({@code op=t}) instead of dropped.
 *   <li>{@code snapshot.mode=initial}, {@code tombstones.on.delete=true}: snapshot once, then stream;
 *       compaction-friendly deletes.
 *   <li>{@code poll.interval.ms=10}: Debezium waits up to this long twice between a commit and the
 *       record reaching the worker (an idle replication stream sleeps it, and {@code poll()} waits it
 *       for a full batch); its default of 500 ms puts p99 latency near a second.
 * </ul>
 *
 * Stateless.
 */
public final class PostgresCdcDefaults {

    public static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";

    private static final Map<String, String> DEFAULTS = defaults();

    private PostgresCdcDefaults() {}

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("plugin.name", "pgoutput");
        defaults.put("snapshot.mode", "initial");
        defaults.put("heartbeat.interval.ms", "10000");
        defaults.put("publication.autocreate.mode", "filtered");
        defaults.put("slot.drop.on.stop", "false");
        defaults.put("skipped.operations", "none");
        defaults.put("tombstones.on.delete", "true");
        defaults.put("poll.interval.ms", "10");
        return Map.copyOf(defaults);
    }

    /** The recommended settings alone. */
    public static Map<String, String> recommended() {
        return DEFAULTS;
    }

    /** {@code userConfig} with every recommended setting it does not set itself. */
    public static Map<String, String> applyTo(Map<String, String> userConfig) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        merged.putAll(userConfig);
        return merged;
    }
}
