package io.sluice.worker.hub;

import io.sluice.core.hub.PartitionRecords;
import io.sluice.core.hub.TopicInfo;
import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.UnavailableException;
import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.PartitionDamagedException;
import io.sluice.log.PartitionOfflineException;
import io.sluice.log.replication.PartitionOffsets;
import io.sluice.log.replication.PartitionStatus;
import io.sluice.log.replication.ReplicaNode;
import io.sluice.log.replication.ReplicaStatus;
import io.sluice.log.replication.ReplicationException;
import io.sluice.worker.cluster.ClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's replicated topics as every worker sees them: the topic list and partition counts from
 * the cluster's metadata (the topic registry in the shared config topic, which every worker applies),
 * each partition's replicas and leader from its Raft group, its offsets and size read through its
 * leader, and its records read from this worker's replica when it holds a caught-up one, else from the
 * leader. So a worker with no replica of a topic answers as one with a replica does. A partition that
 * cannot be read now (no leader, the leader does not answer) is listed with {@code available=false}
 * and the reason, never left out.
 *
 * <p>Only the state and damage of a partition are this worker's own: those of its replica when it
 * holds one (a repair acts on that replica), else {@code ONLINE}.
 *
 * <p>Thread-safe. Calls block on other workers, each bounded by {@link #ANSWER_TIMEOUT}; partitions
 * are asked in parallel on a small pool of daemon threads.
 */
final class ClusterTopics {

    /** How long one partition's leader may take to answer before the partition is shown unavailable. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private static final int THREADS = 8;
    private static final long WAIT_STEP_MILLIS = 100;

    private final ClusterNode cluster;
    private final ExecutorService pool;

    ClusterTopics(ClusterNode cluster) {
        this.cluster = cluster;
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "sluice-hub-topics");
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    /**
     * The replicated topics with their partition counts: every topic of the registry, and any topic
     * this worker holds a replica of that the registry does not list (yet).
     */
    SortedMap<String, Integer> names() {
        SortedMap<String, Integer> out = cluster.replicatedTopics();
        Log replicas = replicaNode().log();
        for (String topic : replicas.topics()) {
            replicas.topicConfig(topic).ifPresent(c -> out.putIfAbsent(topic, c.partitions()));
        }
        return out;
    }

    /** Whether {@code topic} is one of the cluster's replicated topics. */
    boolean knows(String topic) {
        return cluster.knowsTopic(topic)
                || replicaNode().log().topicConfig(topic).isPresent();
    }

    /** Every replicated topic, its partitions asked in parallel. */
    List<TopicInfo> all() {
        Map<String, List<Asked>> asked = new java.util.LinkedHashMap<>();
        names().forEach((topic, partitions) -> asked.put(topic, askAll(topic, partitions)));
        List<TopicInfo> out = new ArrayList<>();
        asked.forEach((topic, partitions) -> out.add(collect(topic, partitions)));
        return out;
    }

    /** One replicated topic; {@link NotFoundException} when the cluster has no such topic. */
    TopicInfo topic(String name) {
        Integer partitions = names().get(name);
        if (partitions == null) {
            throw new NotFoundException("Topic " + name + " not found");
        }
        return collect(name, askAll(name, partitions));
    }

    /** A partition being asked about on the pool: its answer, and when the asking started (0 until then). */
    private record Asked(Future<TopicInfo.PartitionInfo> answer, AtomicLong started) {}

    private List<Asked> askAll(String topic, int partitions) {
        List<Asked> out = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            AtomicLong started = new AtomicLong();
            out.add(new Asked(
                    pool.submit(() -> {
                        started.set(System.nanoTime());
                        return partition(topic, partition);
                    }),
                    started));
        }
        return out;
    }

    private static TopicInfo collect(String topic, List<Asked> asked) {
        List<TopicInfo.PartitionInfo> partitions = new ArrayList<>(asked.size());
        for (int p = 0; p < asked.size(); p++) {
            partitions.add(answer(asked.get(p), p, topic));
        }
        return new TopicInfo(topic, topic.startsWith("__"), partitions);
    }

    /**
     * The answer about one partition, or unavailable when the asking took longer than
     * {@link #ANSWER_TIMEOUT} since it started (time queued behind other partitions does not count).
     */
    private static TopicInfo.PartitionInfo answer(Asked asked, int partition, String topic) {
        long limit = ANSWER_TIMEOUT.toNanos();
        while (true) {
            try {
                return asked.answer().get(WAIT_STEP_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long started = asked.started().get();
                if (started != 0 && System.nanoTime() - started > limit) {
                    asked.answer().cancel(true);
                    return unavailable(
                            partition,
                            null,
                            List.of(),
                            List.of(),
                            "its replicas did not answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
                }
            } catch (ExecutionException e) {
                return unavailable(partition, null, List.of(), List.of(), String.valueOf(e.getCause()));
            } catch (CancellationException e) {
                return unavailable(partition, null, List.of(), List.of(), "asking its replicas was cancelled");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("Interrupted while asking the replicas of " + topic);
            }
        }
    }

    /** One partition: placement from its Raft group, offsets and size from its leader. */
    TopicInfo.PartitionInfo partition(String topic, int partition) {
        PartitionStatus status;
        try {
            status = replicaNode().status(topic, partition);
        } catch (ReplicationException e) {
            return unavailable(partition, null, List.of(), List.of(), "no worker answered for it: " + e.getMessage());
        }
        List<String> replicas =
                status.replicas().stream().map(ReplicaStatus::nodeId).toList();
        List<String> unreachable = status.replicas().stream()
                .filter(r -> !r.reachable())
                .map(ReplicaStatus::nodeId)
                .toList();
        String leader = status.leader().orElse(null);
        if (leader == null) {
            return unavailable(
                    partition,
                    null,
                    replicas,
                    unreachable,
                    "no leader"
                            + (unreachable.isEmpty()
                                    ? " (an election is under way)"
                                    : ": replicas on nodes " + unreachable
                                            + " do not answer and the others have not elected one"));
        }
        if (unreachable.contains(leader)) {
            // a follower still names the leader it last heard from, which is gone
            return unavailable(
                    partition,
                    null,
                    replicas,
                    unreachable,
                    "its leader (node " + leader + ") does not answer and the other replicas have not elected"
                            + " another yet");
        }
        PartitionOffsets offsets;
        try {
            offsets = replicaNode().client().offsets(topic, partition);
        } catch (ReplicationException e) {
            return unavailable(
                    partition,
                    leader,
                    replicas,
                    unreachable,
                    "its leader (node " + leader + ") did not answer: " + e.getMessage());
        }
        TopicInfo.Placement placement = new TopicInfo.Placement(leader, replicas, unreachable, true, null);
        TopicInfo.PartitionInfo mine = replicaNode()
                .localReplica(topic, partition)
                .map(PartitionStates::info)
                .orElse(null);
        return new TopicInfo.PartitionInfo(
                partition,
                offsets.logStartOffset(),
                offsets.endOffset(),
                offsets.sizeInBytes(),
                mine == null ? TopicInfo.State.ONLINE : mine.state(),
                mine == null ? List.of() : mine.damage(),
                mine == null ? null : mine.offlineReason(),
                placement);
    }

    private static TopicInfo.PartitionInfo unavailable(
            int partition, String leader, List<String> replicas, List<String> unreachable, String reason) {
        return new TopicInfo.PartitionInfo(
                partition,
                -1,
                -1,
                -1,
                TopicInfo.State.OFFLINE,
                List.of(),
                "not readable in the cluster now: " + reason,
                new TopicInfo.Placement(leader, replicas, unreachable, false, reason));
    }

    /**
     * A page of a replicated partition's records: from this worker's caught-up replica, else (or when
     * this worker's replica is damaged or offline) from the partition's leader.
     *
     * @throws UnavailableException when neither answers within {@link #ANSWER_TIMEOUT}
     */
    PartitionRecords records(String topic, int partition, long offset, int maxRecords) {
        Integer partitions = names().get(topic);
        if (partitions == null) {
            throw new NotFoundException("Topic " + topic + " not found");
        }
        if (partition < 0 || partition >= partitions) {
            throw new NotFoundException(
                    "Topic " + topic + " has no partition " + partition + " (it has " + partitions + ")");
        }
        return bounded(
                topic,
                partition,
                () -> RecordPages.page(
                        topic, partition, offset, maxRecords, (o, bytes) -> fetch(topic, partition, o, bytes)));
    }

    private FetchResult fetch(String topic, int partition, long offset, int maxBytes) {
        try {
            return replicaNode().fetch(topic, partition, offset, maxBytes);
        } catch (PartitionDamagedException | PartitionOfflineException mine) {
            // this worker's replica cannot serve the range; the leader's may
            if (replicaNode()
                    .leader(topic, partition)
                    .map(replicaNode().nodeId()::equals)
                    .orElse(true)) {
                throw mine;
            }
            return replicaNode().client().fetch(topic, partition, offset, maxBytes);
        }
    }

    private <T> T bounded(String topic, int partition, Callable<T> read) {
        AtomicLong started = new AtomicLong();
        Future<T> future = pool.submit(() -> {
            started.set(System.nanoTime());
            return read.call();
        });
        long limit = ANSWER_TIMEOUT.toNanos() * 2;
        try {
            while (true) {
                try {
                    return future.get(WAIT_STEP_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    long since = started.get();
                    if (since != 0 && System.nanoTime() - since > limit) {
                        future.cancel(true);
                        throw new UnavailableException("Partition " + partition + " of " + topic + " cannot be read"
                                + " now: its leader did not answer within " + ANSWER_TIMEOUT.toSeconds() * 2
                                + " s (GET /hub/topics/" + topic + " shows its replicas)");
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplicationException r) {
                throw new UnavailableException(
                        "Partition " + partition + " of " + topic + " cannot be read now: " + r.getMessage());
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("Interrupted while reading " + topic + "-" + partition);
        }
    }

    private ReplicaNode replicaNode() {
        return cluster.replicaNode();
    }
}
