package io.sluice.worker.cluster;

import io.sluice.worker.store.CompactedTopicMap;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this worker enters the cluster, decided from its settings and its data directory before its
 * server starts: as a member it already is (the members stored in its copy of the metadata win over
 * the seed list), as one of the seed list of a new cluster, or by joining a running one. Settings that
 * cannot work are refused with a message naming them.
 *
 * @param node this worker's node id
 * @param address this worker's metadata-server address ({@code host:port})
 * @param members the members to start from, this worker included
 * @param joining true when this worker must ask the cluster to add it ({@code sluice.cluster.join})
 */
record MemberStartup(int node, String address, SortedMap<Integer, String> members, boolean joining) {

    private static final Logger LOG = LoggerFactory.getLogger(MemberStartup.class);

    /**
     * @param stored the members stored in this worker's copy of the metadata, if any
     * @throws IllegalArgumentException for settings that cannot work, with a message naming them
     */
    static MemberStartup decide(ClusterProperties props, Optional<SortedMap<Integer, String>> stored) {
        if (props.nodeId() == null) {
            throw new IllegalArgumentException(
                    "sluice.cluster.node-id is not set; sluice.cluster.peers is '" + props.peers() + "'");
        }
        int node = props.nodeId();
        List<Peer> seed = props.peers().isEmpty() ? List.of() : Peer.parseList(props.peers());
        Optional<String> seeded =
                seed.stream().filter(p -> p.id() == node).map(Peer::address).findFirst();
        Optional<String> known = stored.map(s -> s.get(node));
        String address;
        if (!props.address().isEmpty()) {
            address = Peer.parse(node + "@" + props.address()).address();
            if (seeded.isPresent() && !seeded.get().equals(address)) {
                throw new IllegalArgumentException("sluice.cluster.address=" + address + " differs from node " + node
                        + "'s entry " + seeded.get() + " in sluice.cluster.peers");
            }
        } else if (seeded.isPresent()) {
            address = seeded.get();
        } else if (known.isPresent()) {
            address = known.get();
        } else {
            throw new IllegalArgumentException("node " + node + " is not in sluice.cluster.peers (" + props.peers()
                    + ") and sluice.cluster.address is not set: give this worker its metadata-server address"
                    + " (sluice.cluster.address=host:port) and a member to join (sluice.cluster.join=host:port)");
        }
        if (known.isPresent() && !known.get().equals(address)) {
            throw new IllegalArgumentException("this data directory belongs to node " + node + " at " + known.get()
                    + ", but this worker was started at " + address + "; a member keeps its address");
        }
        boolean member = known.isPresent();
        boolean joining = !member && !props.joinAddresses().isEmpty();
        if (stored.isPresent() && !member && !joining) {
            throw new IllegalArgumentException("node " + node + " was removed from the cluster "
                    + MemberRegistry.format(stored.get()) + "; to make it a member again, start it with"
                    + " sluice.cluster.join=<a member's host:port>");
        }
        if (stored.isEmpty() && !joining && seeded.isEmpty()) {
            throw new IllegalArgumentException("node " + node + " is not in sluice.cluster.peers (" + props.peers()
                    + "); to add a worker to a running cluster, start it with sluice.cluster.join=<a member's"
                    + " host:port>");
        }
        SortedMap<Integer, String> members = new TreeMap<>(stored.orElseGet(() -> MemberRegistry.of(seed)));
        members.put(node, address);
        if (member && !seed.isEmpty() && !MemberRegistry.of(seed).equals(stored.get())) {
            LOG.warn(
                    "sluice.cluster.peers ({}) differs from the cluster's members ({}); the members stored in the"
                            + " cluster's metadata are used (sluice.cluster.peers only seeds a new cluster)",
                    Peer.format(seed),
                    MemberRegistry.format(stored.get()));
        }
        return new MemberStartup(node, address, members, joining);
    }

    /** Decides from the members in {@code configs}, this worker's copy of the config topic. */
    static MemberStartup decide(ClusterProperties props, CompactedTopicMap configs) {
        return decide(props, MemberRegistry.stored(configs));
    }
}
