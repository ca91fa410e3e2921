package io.sluice.worker.runtime;

import io.sluice.core.hub.SnapshotInfo;
import io.sluice.core.status.ReplicationSlotStatus;
import java.util.Optional;

/**
 * Readings of the Postgres CDC connectors this worker hosts: their replication slot's lag (measured
 * every 10 s while they run, or on demand) and their snapshot progress. Other connectors have none.
 * Thread-safe; a measurement blocks for one query and holds no runtime lock.
 */
public final class CdcProbes {

    private final ConnectorRuntime runtime;
    private final PostgresCdcSupport cdc;

    CdcProbes(ConnectorRuntime runtime, PostgresCdcSupport cdc) {
        this.runtime = runtime;
        this.cdc = cdc;
    }

    /** Measures the replication-slot lag of each running Postgres CDC connector. */
    void probeAll() {
        for (ConnectorHost host : runtime.hosts.values()) {
            if (host.started && PostgresCdcSupport.isPostgresCdc(host.config)) {
                cdc.probe(host.name, runtime.effectiveConfig(host));
            }
        }
    }

    /** The connector's replication slot measured now; empty when it cannot be read. */
    public Optional<ReplicationSlotStatus> measure(String name) {
        ConnectorHost host = runtime.require(name);
        if (!PostgresCdcSupport.isPostgresCdc(host.config)) {
            return Optional.empty();
        }
        return cdc.probe(name, runtime.effectiveConfig(host));
    }

    /** Snapshot progress of a Postgres CDC connector whose task runs on this worker. */
    public Optional<SnapshotInfo> snapshot(String name) {
        ConnectorHost host = runtime.require(name);
        if (!PostgresCdcSupport.isPostgresCdc(host.config)) {
            return Optional.empty();
        }
        return cdc.snapshot(name, runtime.effectiveConfig(host));
    }

    /** Forgets a deleted connector's readings (and what its CDC support keeps for it). */
    void deleted(ConnectorHost host) {
        if (PostgresCdcSupport.isPostgresCdc(host.config)) {
            cdc.deleted(host.name, runtime.effectiveConfig(host));
        }
    }

    /** The last reading of the connector's replication slot. */
    public Optional<ReplicationSlotStatus> latest(String name) {
        return cdc.latest(name);
    }
}
