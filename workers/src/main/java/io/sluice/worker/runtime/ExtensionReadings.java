package io.sluice.worker.runtime;

import io.sluice.core.extension.ConnectorExtension;
import io.sluice.core.extension.ConnectorExtensions;
import io.sluice.core.hub.SnapshotInfo;
import io.sluice.core.status.ReplicationSlotStatus;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Readings the connectors' plugin extensions ({@link ConnectorExtension}) take of the connectors
 * this worker knows: replication-slot lag (measured every 10 s for connectors whose instance runs
 * here, or on demand) and snapshot progress. Connectors without an extension have none.
 *
 * <p>Thread-safe; a measurement blocks for one query in the extension and holds no runtime lock.
 */
public final class ExtensionReadings {

    /** What the readings need of the runtime: its connectors, as snapshots taken without waiting. */
    interface Connectors {

        /** The connectors whose instance runs on this worker, with their configs as their tasks see them. */
        Map<String, ConnectorView> running();

        /** A known connector, as its tasks see it; throws NotFoundException when unknown. */
        ConnectorView require(String name);
    }

    /**
     * One connector as readings see it.
     *
     * @param connectorClass the connector class named in its config, or its loaded class's name
     * @param type the loaded class, or null when it could not be instantiated here
     * @param effectiveConfig its config with worker defaults and references resolved (where possible),
     *     computed when asked
     */
    record ConnectorView(
            String name, String connectorClass, Class<?> type, Supplier<Map<String, String>> effectiveConfig) {}

    private final Connectors connectors;
    private final ConnectorExtensions extensions;

    ExtensionReadings(Connectors connectors, ConnectorExtensions extensions) {
        this.connectors = connectors;
        this.extensions = extensions;
    }

    /** Measures the replication slot of each connector whose instance runs here. */
    void probeAll() {
        connectors
                .running()
                .values()
                .forEach(c -> extension(c)
                        .ifPresent(e -> e.measureReplicationSlot(
                                c.name(), c.effectiveConfig().get())));
    }

    /** The connector's replication slot measured now; empty when it has none or it cannot be read. */
    public Optional<ReplicationSlotStatus> measure(String name) {
        ConnectorView c = connectors.require(name);
        return extension(c)
                .flatMap(e -> e.measureReplicationSlot(name, c.effectiveConfig().get()));
    }

    /** Snapshot progress of a connector whose task runs on this worker. */
    public Optional<SnapshotInfo> snapshot(String name) {
        ConnectorView c = connectors.require(name);
        return extension(c).flatMap(e -> e.snapshot(name, c.effectiveConfig().get()));
    }

    /** The last reading of the connector's replication slot. */
    public Optional<ReplicationSlotStatus> latest(String name) {
        ConnectorView c = connectors.require(name);
        return extension(c).flatMap(e -> e.lastReplicationSlot(name));
    }

    /** A deleted connector: its extension forgets its readings and cleans up what its config asks. */
    void deleted(ConnectorView connector) {
        extension(connector)
                .ifPresent(e ->
                        e.deleted(connector.name(), connector.effectiveConfig().get()));
    }

    private Optional<ConnectorExtension> extension(ConnectorView c) {
        return c.type() != null ? extensions.forConnector(c.type()) : extensions.forConnector(c.connectorClass());
    }
}
