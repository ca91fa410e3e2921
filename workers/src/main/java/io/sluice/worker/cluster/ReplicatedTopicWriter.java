package io.sluice.worker.cluster;

import io.sluice.log.AppendResult;
import io.sluice.log.Record;
import io.sluice.log.TopicConfig;
import io.sluice.log.replication.ReplicaNode;
import io.sluice.worker.task.TopicWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster worker's {@link TopicWriter}: source tasks' topics are replicated partitions on the
 * worker's {@link ReplicaNode}, each on {@code min(3, workers)} workers, the replica list rotated per
 * partition so leadership spreads. Appends go to each partition's leader wherever it is, fenced by
 * the task's producer id and assignment epoch. A topic is (re-)ensured on every replica the first time
 * this worker writes to it, so a replica that missed its creation gets its group then, and recorded
 * in the {@link TopicRegistry}, so workers without a replica of it can read it too.
 *
 * <p>Thread-safe.
 */
final class ReplicatedTopicWriter implements TopicWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedTopicWriter.class);
    static final int MAX_REPLICATION = 3;

    private final ReplicaNode node;
    private final TopicRegistry registry;
    private final List<String> nodes;
    private final Map<String, Integer> ensured = new ConcurrentHashMap<>();

    ReplicatedTopicWriter(ReplicaNode node, TopicRegistry registry, List<Peer> peers) {
        this.node = node;
        this.registry = registry;
        this.nodes = peers.stream().map(p -> Integer.toString(p.id())).toList();
    }

    /** The replicas of a partition: {@code min(3, workers)} workers starting at a per-partition rotation. */
    static List<String> placement(List<String> nodes, String topic, int partition) {
        int rf = Math.min(MAX_REPLICATION, nodes.size());
        int start = Math.floorMod(topic.hashCode() + partition, nodes.size());
        List<String> replicas = new ArrayList<>(rf);
        for (int i = 0; i < rf; i++) {
            replicas.add(nodes.get((start + i) % nodes.size()));
        }
        return replicas;
    }

    @Override
    public int ensure(String topic, Supplier<Map<String, String>> settings) {
        Integer known = ensured.get(topic);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            known = ensured.get(topic);
            if (known != null) {
                return known;
            }
            TopicConfig config = node.log()
                    .topicConfig(topic)
                    .or(() -> Optional.ofNullable(registry.topics().get(topic)).map(TopicConfig.DEFAULTS::with))
                    .orElseGet(() -> TopicConfig.DEFAULTS.with(settings.get()));
            for (int p = 0; p < config.partitions(); p++) {
                node.ensurePartition(topic, p, placement(nodes, topic, p), config);
            }
            registry.register(topic, config);
            LOG.info("Topic {} replicated over {} partitions", topic, config.partitions());
            ensured.put(topic, config.partitions());
            return config.partitions();
        }
    }

    @Override
    public AppendResult append(String topic, int partition, List<Record> records, long producerId, long epoch) {
        return node.append(topic, partition, records, producerId, Math.toIntExact(epoch));
    }

    @Override
    public void flush(String topic, int partition) {
        // an acknowledged append is on a majority of replicas already
    }

    Set<String> ensuredTopics() {
        return ensured.keySet();
    }
}
