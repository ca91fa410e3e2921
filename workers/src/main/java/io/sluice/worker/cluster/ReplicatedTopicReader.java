package io.sluice.worker.cluster;

import io.sluice.log.FetchResult;
import io.sluice.log.TopicConfig;
import io.sluice.log.replication.ReplicaNode;
import io.sluice.worker.task.TopicReader;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cluster worker's {@link TopicReader}: every replicated data topic of the cluster (as the topic
 * registry in the config topic lists them, see {@link ReplicatedTopicWriter}), read from this
 * worker's replica when it holds a caught-up one and otherwise from the partition's leader on
 * another worker (the worker-to-worker fetch path of {@link ReplicaNode#fetch}). Waiting for new
 * records uses the local log's commit signal; while a partition is read remotely the wait is cut to
 * {@link #REMOTE_POLL}, since no signal comes from other workers.
 *
 * <p>Thread-safe.
 */
final class ReplicatedTopicReader implements TopicReader {

    static final Duration REMOTE_POLL = Duration.ofMillis(50);
    private static final long REMOTE_MEMORY_NANOS = 5_000_000_000L;

    private final ReplicaNode node;
    private final TopicRegistry registry;
    private volatile long lastRemoteRead = System.nanoTime() - 2 * REMOTE_MEMORY_NANOS;

    ReplicatedTopicReader(ReplicaNode node, TopicRegistry registry) {
        this.node = node;
        this.registry = registry;
    }

    @Override
    public Set<String> topics() {
        Set<String> out = new TreeSet<>(registry.topics().keySet());
        for (String topic : node.log().topics()) {
            if (!topic.startsWith("__")) {
                out.add(topic);
            }
        }
        return out;
    }

    @Override
    public int partitions(String topic) {
        return node.log()
                .topicConfig(topic)
                .map(TopicConfig::partitions)
                .or(() -> registry.partitions(topic))
                .orElse(0);
    }

    @Override
    public FetchResult fetch(String topic, int partition, long offset, int maxBytes) {
        if (node.localReplica(topic, partition).isEmpty()) {
            lastRemoteRead = System.nanoTime();
        }
        return node.fetch(topic, partition, offset, maxBytes);
    }

    @Override
    public long version() {
        return node.log().commitSignal().version();
    }

    @Override
    public void awaitChange(long seen, Duration maxWait) throws InterruptedException {
        boolean remote = System.nanoTime() - lastRemoteRead < REMOTE_MEMORY_NANOS;
        node.log()
                .commitSignal()
                .awaitChange(seen, remote && maxWait.compareTo(REMOTE_POLL) > 0 ? REMOTE_POLL : maxWait);
    }
}
