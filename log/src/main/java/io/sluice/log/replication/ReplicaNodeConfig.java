package io.sluice.log.replication;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of one node's {@link ReplicaNode}.
 *
 * @param nodeId this node's id; must be in {@code peers}, whose address gives the port to listen on
 * @param peers every node of the cluster
 * @param dataDir the node's data directory: the partition log lives in {@code log/}, Raft storage
 *     in {@code raft/}
 * @param bindHost the address the Raft server binds to (only loopback by default)
 * @param settings Ratis settings, the same on every node
 */
public record ReplicaNodeConfig(
        String nodeId, ClusterPeers peers, Path dataDir, String bindHost, ReplicationSettings settings) {

    public ReplicaNodeConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(settings, "settings");
        if (!peers.contains(nodeId)) {
            throw new IllegalArgumentException("node id " + nodeId + " is not in the peer list "
                    + peers.addresses().keySet());
        }
    }

    /** Defaults: bound to 127.0.0.1, {@link ReplicationSettings#defaults()}. */
    public static ReplicaNodeConfig of(String nodeId, ClusterPeers peers, Path dataDir) {
        return new ReplicaNodeConfig(nodeId, peers, dataDir, "127.0.0.1", ReplicationSettings.defaults());
    }

    public ReplicaNodeConfig withSettings(ReplicationSettings newSettings) {
        return new ReplicaNodeConfig(nodeId, peers, dataDir, bindHost, newSettings);
    }

    public ReplicaNodeConfig withBindHost(String host) {
        return new ReplicaNodeConfig(nodeId, peers, dataDir, host, settings);
    }

    /** The port this node's Raft server listens on, from its address in the peer list. */
    public int port() {
        String address = peers.address(nodeId);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
