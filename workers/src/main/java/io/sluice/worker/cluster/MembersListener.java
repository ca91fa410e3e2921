package io.sluice.worker.cluster;

import java.util.SortedMap;

/**
 * Told by the metadata leader when a worker joined or was removed, once the change is committed: the
 * hook for work that follows the members (re-placing partition replicas so each partition keeps its
 * replication factor). Called on the leader only, on its membership-change thread; must not block
 * for long.
 */
@FunctionalInterface
public interface MembersListener {

    MembersListener NONE = members -> {};

    /** @param members the cluster's members now: node id → metadata-server address */
    void membersChanged(SortedMap<Integer, String> members);
}
