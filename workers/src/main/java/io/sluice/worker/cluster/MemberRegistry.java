package io.sluice.worker.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.log.replication.ClusterPeers;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's members (node id → {@code host:port} of its metadata server) as this worker knows
 * them. The metadata leader mirrors the metadata group's Raft configuration into the config topic
 * ({@code cluster/members}); every worker reads it from its applied copy on {@link #refresh()}, so the
 * address book of its replication ({@link ClusterPeers}) and the coordinator's member list follow
 * workers joining and leaving. Before the cluster has stored any, the members are the seed list
 * ({@code sluice.cluster.peers}) and this worker.
 *
 * <p>Thread-safe: {@link #refresh()} runs on the coordination thread; reads see an immutable map.
 */
final class MemberRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MemberRegistry.class);

    /** Config-topic key of the members: a JSON object of node id → address. */
    static final String MEMBERS = "cluster/members";

    /** Config-topic key of the cluster's id, fixed when the cluster first started. */
    static final String CLUSTER_ID = "cluster/id";

    private static final TypeReference<TreeMap<Integer, String>> TYPE = new TypeReference<>() {};

    private final CompactedTopicMap configs;
    private final List<Consumer<SortedMap<Integer, String>>> listeners = new CopyOnWriteArrayList<>();
    private volatile SortedMap<Integer, String> members;

    /** @param initial the members to start from (stored ones, else the seed list with this worker) */
    MemberRegistry(CompactedTopicMap configs, SortedMap<Integer, String> initial) {
        this.configs = configs;
        this.members = Collections.unmodifiableSortedMap(new TreeMap<>(initial));
    }

    /** The members stored in this worker's copy of the config topic, if the cluster stored them yet. */
    static Optional<SortedMap<Integer, String>> stored(CompactedTopicMap configs) {
        byte[] v = configs.get(MEMBERS);
        return v == null ? Optional.empty() : Optional.of(decode(v));
    }

    static byte[] encode(SortedMap<Integer, String> members) {
        return JsonCodec.write(new TreeMap<>(members));
    }

    static SortedMap<Integer, String> decode(byte[] value) {
        return JsonCodec.read(value, TYPE, "cluster members");
    }

    static String format(Map<Integer, String> members) {
        List<String> out = new ArrayList<>();
        members.forEach((id, address) -> out.add(id + "@" + address));
        return String.join(",", out);
    }

    static SortedMap<Integer, String> of(List<Peer> peers) {
        SortedMap<Integer, String> out = new TreeMap<>();
        peers.forEach(p -> out.put(p.id(), p.address()));
        return out;
    }

    CompactedTopicMap configs() {
        return configs;
    }

    /** The members now, sorted by node id. */
    SortedMap<Integer, String> members() {
        return members;
    }

    /** The members now as peers, sorted by node id. */
    List<Peer> peers() {
        List<Peer> out = new ArrayList<>();
        members.forEach((id, address) -> out.add(Peer.parse(id + "@" + address)));
        return List.copyOf(out);
    }

    boolean contains(int node) {
        return members.containsKey(node);
    }

    /** The cluster's id as stored, else {@code fallback} (a cluster that has not stored one yet). */
    String clusterId(String fallback) {
        byte[] v = configs.get(CLUSTER_ID);
        return v == null ? fallback : new String(v, StandardCharsets.UTF_8);
    }

    /** Calls {@code listener} with the new members after each change {@link #refresh()} finds. */
    void onChange(Consumer<SortedMap<Integer, String>> listener) {
        listeners.add(listener);
    }

    /** Keeps {@code peers} (the replication address book) equal to the members (and {@code self}) from now on. */
    void keepInSync(ClusterPeers peers, int self) {
        onChange(now -> {
            now.forEach((id, address) -> peers.put(Integer.toString(id), address));
            new ArrayList<>(peers.nodeIds()).forEach(id -> {
                // this worker keeps its own address (its server listens there) even when it is removed
                if (!now.containsKey(Integer.parseInt(id)) && !id.equals(Integer.toString(self))) {
                    peers.remove(id);
                }
            });
        });
        members.forEach((id, address) -> peers.put(Integer.toString(id), address));
    }

    /** Reads the stored members; when they changed, tells the listeners. */
    void refresh() {
        stored(configs).ifPresent(this::update);
    }

    /** Takes {@code now} as the members (the leader passes what it just committed). */
    synchronized void update(SortedMap<Integer, String> now) {
        SortedMap<Integer, String> next = Collections.unmodifiableSortedMap(new TreeMap<>(now));
        if (next.equals(members)) {
            return;
        }
        LOG.info("Cluster members changed from {} to {}", format(members), format(next));
        members = next;
        listeners.forEach(l -> l.accept(next));
    }
}
