package io.sluice.worker.cluster;

import io.sluice.log.replication.ReplicationClient;
import io.sluice.worker.cluster.ReplicaPlanner.PartitionId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves partition replicas between workers: a single reassignment asked over REST, or every move the
 * {@link ReplicaPlanner} finds when the members change ({@link #membersChanged}). Moves run one
 * partition at a time on a background thread ({@link ReplicationClient#reassign}: data copied
 * before the old replica is dropped); a partition's new placement is recorded in the
 * {@link TopicRegistry} only once its move completed, so after a crash the same move is asked again
 * from the recorded (old) placement and the resumable reassignment finishes it.
 *
 * <p>Threading: thread-safe; the public methods return at once (moves are queued). Meant to run on
 * the metadata leader (the membership code calls {@link #membersChanged} there); a reassignment asked
 * on any worker runs on that worker, which is as safe (the Raft configuration change decides) but
 * not coordinated with a balancer elsewhere.
 */
public final class ReplicaBalancer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaBalancer.class);
    private static final Duration MOVE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(5);
    private static final int ATTEMPTS = 20;

    /** A move queued or under way. */
    public record Move(List<Integer> from, List<Integer> to) {}

    private final ReplicationClient client;
    private final TopicRegistry registry;
    private final Supplier<List<Integer>> staticMembers;
    private final int replicationFactor;
    private final ScheduledExecutorService mover = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-replica-mover");
        t.setDaemon(true);
        return t;
    });
    private final Map<PartitionId, Move> moving = new ConcurrentHashMap<>();

    /**
     * @param staticMembers the worker ids placements were first computed over (the peer list)
     * @param replicationFactor the configured factor (3)
     */
    ReplicaBalancer(
            ReplicationClient client,
            TopicRegistry registry,
            Supplier<List<Integer>> staticMembers,
            int replicationFactor) {
        this.client = client;
        this.registry = registry;
        this.staticMembers = staticMembers;
        this.replicationFactor = replicationFactor;
    }

    /**
     * Each partition's replicas now, preferred leader first: as its Raft group has them (the truth,
     * also for a partition whose move was interrupted before it was recorded); as recorded when no
     * replica answers; as first placed over the seed members when it was never recorded either.
     */
    public Map<PartitionId, List<Integer>> placements() {
        List<String> nodes = staticMembers.get().stream().map(String::valueOf).toList();
        Map<PartitionId, List<Integer>> out = new TreeMap<>();
        registry.topics().forEach((topic, settings) -> {
            int partitions = registry.partitions(topic).orElse(0);
            for (int p = 0; p < partitions; p++) {
                final int partition = p;
                out.put(
                        new PartitionId(topic, p),
                        groupMembers(topic, p)
                                .or(() -> registry.placement(topic, partition))
                                .orElseGet(() -> ReplicatedTopicWriter.placement(nodes, topic, partition).stream()
                                        .map(Integer::valueOf)
                                        .toList()));
            }
        });
        return out;
    }

    private Optional<List<Integer>> groupMembers(String topic, int partition) {
        try {
            List<Integer> ids = client.replicas(topic, partition).stream()
                    .map(Integer::valueOf)
                    .toList();
            return ids.isEmpty() ? Optional.empty() : Optional.of(ids);
        } catch (RuntimeException e) {
            LOG.debug("Replicas of {}-{} not readable from its group: {}", topic, partition, e.toString());
            return Optional.empty();
        }
    }

    /** Moves queued or under way, by partition. */
    public Map<PartitionId, Move> moving() {
        return Map.copyOf(moving);
    }

    /**
     * Queues a move of one partition to {@code target} (preferred leader first).
     *
     * @throws IllegalArgumentException naming the topic, partition or node id that is wrong, or a
     *     target list that names a node twice or is empty
     */
    public Move reassign(String topic, int partition, List<Integer> target) {
        int partitions = registry.partitions(topic)
                .orElseThrow(() -> new IllegalArgumentException("unknown replicated topic " + topic));
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException(
                    "topic " + topic + " has no partition " + partition + " (it has " + partitions + ")");
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("replicas must name at least one worker");
        }
        if (new TreeSet<>(target).size() != target.size()) {
            throw new IllegalArgumentException("replicas " + target + " name a worker twice");
        }
        for (Integer node : target) {
            if (!client.peers().contains(String.valueOf(node))) {
                throw new IllegalArgumentException("replica " + node + " is not a worker of the cluster "
                        + client.peers().addresses().keySet());
            }
        }
        PartitionId id = new PartitionId(topic, partition);
        List<Integer> from = placements().getOrDefault(id, List.of());
        return queue(id, from, List.copyOf(target));
    }

    /**
     * The members changed (a worker joined or left, or an operator asked for a rebalance): plans the
     * placement of every partition over {@code members} (node id → host:port) and queues the moves.
     *
     * @return the moves queued
     */
    public synchronized Map<PartitionId, Move> membersChanged(SortedMap<Integer, String> members) {
        Map<PartitionId, List<Integer>> current = placements();
        Map<PartitionId, List<Integer>> target =
                ReplicaPlanner.plan(new TreeSet<>(members.keySet()), current, replicationFactor);
        Map<PartitionId, Move> queued = new TreeMap<>();
        target.forEach((id, replicas) -> {
            List<Integer> before = current.get(id);
            Move under = moving.get(id);
            // a move under way stays unless it goes to a worker that is no longer a member
            boolean keep = under != null && members.keySet().containsAll(under.to());
            if (!replicas.equals(before) && !keep) {
                queued.put(id, queue(id, before, replicas));
            }
        });
        LOG.info(
                "Members {}: {} partition moves planned ({} replica copies)",
                members.keySet(),
                queued.size(),
                ReplicaPlanner.replicaMoves(current, target));
        return queued;
    }

    private Move queue(PartitionId id, List<Integer> from, List<Integer> to) {
        Move move = new Move(from, to);
        moving.put(id, move);
        mover.execute(() -> run(id, move, 1));
        return move;
    }

    /**
     * Runs one move; a failed one is tried again (it resumes where it stopped) after a pause, up to
     * {@link #ATTEMPTS} times, unless a later plan replaced it or its target names a worker that is
     * no longer a member.
     */
    private void run(PartitionId id, Move move, int attempt) {
        if (moving.get(id) != move) {
            return; // replaced by a later plan
        }
        boolean retry = false;
        try {
            List<String> target = move.to().stream().map(String::valueOf).toList();
            ReplicationClient.Reassignment done = client.reassign(id.topic(), id.partition(), target, MOVE_TIMEOUT);
            registry.recordPlacement(id.topic(), id.partition(), move.to());
            LOG.info(
                    "{} moved from {} to {} (replicas left behind on {})",
                    id,
                    done.from(),
                    move.to(),
                    done.leftBehind());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            boolean targetGone =
                    move.to().stream().anyMatch(n -> !client.peers().contains(String.valueOf(n)));
            retry = !targetGone && attempt < ATTEMPTS && !mover.isShutdown();
            LOG.warn(
                    "Moving {} to {} failed (attempt {}); {}: {}",
                    id,
                    move.to(),
                    attempt,
                    retry ? "trying again in " + RETRY_PAUSE.toSeconds() + " s" : "ask again to resume it",
                    e.toString());
        } finally {
            if (retry) {
                try {
                    mover.schedule(() -> run(id, move, attempt + 1), RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    moving.remove(id, move);
                }
            } else {
                moving.remove(id, move);
            }
        }
    }

    @Override
    public void close() {
        mover.shutdownNow();
    }
}
