package io.sluice.worker.cluster;

import io.sluice.log.AppendResult;
import io.sluice.log.Record;
import io.sluice.log.TopicConfig;
import io.sluice.log.TopicPartition;
import io.sluice.log.format.BatchSplitter;
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
 * <p>Appends of any size are taken: each record is checked against its topic's
 * {@code max.message.bytes}, and an append larger than one Raft entry is stored as several entries
 * ({@link io.sluice.log.replication.ReplicationClient#append(String, int, List, long, int)}). When
 * one of them fails after earlier ones were stored, the caller's retry of the same append (the same
 * list) sends only the records not yet stored ({@link ResumableAppends}), so a retried poll does not
 * store its acknowledged part twice.
 *
 * <p>Thread-safe.
 */
final class ReplicatedTopicWriter implements TopicWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedTopicWriter.class);
    static final int MAX_REPLICATION = 3;

    private final ReplicaNode node;
    private final TopicRegistry registry;
    private final java.util.function.Supplier<List<Peer>> members;
    private final TopicConfig defaults;
    private final Map<String, Integer> ensured = new ConcurrentHashMap<>();
    private final Map<String, TopicConfig> configs = new ConcurrentHashMap<>();
    private final ResumableAppends resumable = new ResumableAppends();

    /** @param defaults settings of topics created without their own ({@code sluice.log.*}) */
    /** @param members the cluster's members now (new topics are placed over them) */
    ReplicatedTopicWriter(
            ReplicaNode node,
            TopicRegistry registry,
            java.util.function.Supplier<List<Peer>> members,
            TopicConfig defaults) {
        this.node = node;
        this.registry = registry;
        this.members = members;
        this.defaults = defaults;
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
                    .or(() -> Optional.ofNullable(registry.topics().get(topic)).map(defaults::with))
                    .orElseGet(() -> defaults.with(settings.get()));
            int fits = node.config().settings().largestRecordBytes();
            if (config.maxMessageBytes() > fits) {
                throw new IllegalArgumentException("topic " + topic + " has " + TopicConfig.MAX_MESSAGE_BYTES + "="
                        + config.maxMessageBytes() + ", but one replicated entry of this cluster holds records up"
                        + " to " + fits + " bytes; lower the topic's " + TopicConfig.MAX_MESSAGE_BYTES
                        + " (sluice.log.max-message-bytes for new topics)");
            }
            List<String> nodes = members.get().stream()
                    .map(peer -> Integer.toString(peer.id()))
                    .toList();
            for (int p = 0; p < config.partitions(); p++) {
                final int partition = p;
                List<String> replicas = registry.placement(topic, partition)
                        .map(moved -> moved.stream().map(String::valueOf).toList())
                        .orElseGet(() -> placement(nodes, topic, partition));
                try {
                    node.ensurePartition(topic, p, replicas, config);
                } catch (io.sluice.log.replication.PlacementMismatchException moved) {
                    // moved by a reassignment whose new placement is not recorded yet (or its mover
                    // crashed before recording it): the group as it is holds the partition
                    LOG.info("{}-{}: replicated on {}, not on the recorded {}", topic, p, moved.current(), replicas);
                }
            }
            registry.register(topic, config);
            LOG.info("Topic {} replicated over {} partitions", topic, config.partitions());
            configs.put(topic, config);
            ensured.put(topic, config.partitions());
            return config.partitions();
        }
    }

    @Override
    public AppendResult append(String topic, int partition, List<Record> records, long producerId, long epoch) {
        TopicConfig config =
                configs.computeIfAbsent(topic, t -> node.log().topicConfig(t).orElse(defaults));
        BatchSplitter.checkRecordSizes(new TopicPartition(topic, partition), records, config.maxMessageBytes());
        return resumable.append(
                topic,
                partition,
                producerId,
                records,
                rest -> node.append(topic, partition, rest, producerId, Math.toIntExact(epoch)));
    }

    @Override
    public void flush(String topic, int partition) {
        // an acknowledged append is on a majority of replicas already
    }

    Set<String> ensuredTopics() {
        return ensured.keySet();
    }
}
