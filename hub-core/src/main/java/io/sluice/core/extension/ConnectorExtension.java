package io.sluice.core.extension;

import io.sluice.core.hub.SnapshotInfo;
import io.sluice.core.status.ReplicationSlotStatus;
import io.sluice.core.validation.Preflight;
import java.util.Map;
import java.util.Optional;

/**
 * What a connector plugin adds to the hub around the connectors it applies to. Every hook but
 * {@link #appliesTo} has a no-op default, so an extension implements only what it needs.
 *
 * <p>Provided through {@code META-INF/services/io.sluice.core.extension.ConnectorExtension} in the
 * plugin (public class, public no-argument constructor) and found with {@link
 * java.util.ServiceLoader} through the class loader of the connector's plugin: an extension sees
 * the classes of the plugin it ships in, and one instance of each extension class serves every
 * connector it applies to. {@link #init} is called once, before any other hook.
 *
 * <p>Threading: implementations are thread-safe. Hooks are called from REST threads, the runtime's
 * scheduler and connector start-up, never while the runtime holds a lock other calls wait on; a hook
 * may block for one round trip to the external system it reads (seconds at most) and must never
 * throw for an unreachable system (return empty instead).
 *
 * <p>{@code resolved} configs are the connector's stored config with worker defaults applied and
 * {@code ${...}} references resolved: they may hold secrets, which an extension never logs.
 */
public interface ConnectorExtension {

    /** Whether this extension is for connectors of {@code connectorClass} (a fully qualified class name). */
    boolean appliesTo(String connectorClass);

    /** Called once with what the hub offers extensions (its gauges), before any other hook. */
    default void init(ExtensionContext context) {}

    /**
     * The config the connector starts with, given its resolved config: e.g. recommended settings
     * under the user's own. Returns {@code resolved} itself when there is nothing to add.
     */
    default Map<String, String> startConfig(Map<String, String> resolved) {
        return resolved;
    }

    /** The check run on validate and create against the external system the config names, if any. */
    default Optional<Preflight> preflight() {
        return Optional.empty();
    }

    /**
     * Whether the connector's source tasks carry the gauge {@code sluice.cdc.lag.seconds} (now minus
     * the source timestamp of their last change event), for change-data-capture connectors.
     */
    default boolean measuresSourceTimeLag() {
        return false;
    }

    /**
     * The connector's replication slot measured now (and remembered for {@link #lastReplicationSlot});
     * empty when the connector has none or it cannot be read. Called every 10 s for each connector
     * whose instance runs on this worker, and on demand. Blocks for one query.
     */
    default Optional<ReplicationSlotStatus> measureReplicationSlot(String connector, Map<String, String> resolved) {
        return Optional.empty();
    }

    /** The last reading of the connector's replication slot, without asking the external system. */
    default Optional<ReplicationSlotStatus> lastReplicationSlot(String connector) {
        return Optional.empty();
    }

    /** Snapshot progress of the connector's task on this worker; empty when none runs here. */
    default Optional<SnapshotInfo> snapshot(String connector, Map<String, String> resolved) {
        return Optional.empty();
    }

    /**
     * The connector was deleted: forget what is kept for it (gauges, readings) and clean up what it
     * left in the external system when its config asks for that (e.g. a replication slot).
     */
    default void deleted(String connector, Map<String, String> resolved) {}
}
