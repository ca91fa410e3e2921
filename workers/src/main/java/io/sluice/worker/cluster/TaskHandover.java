package io.sluice.worker.cluster;

import io.sluice.core.status.TaskId;
import io.sluice.worker.store.CompactedTopicMap;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a task from the worker that ran it to the one it is assigned to next without losing the old
 * owner's last offsets. The worker running a task records itself as its holder ({@code
 * holder/<connector>/<task>} = {@code node:epoch}); when it has stopped the task (and so committed its
 * offsets) it records the release ({@code released/<connector>/<task>} = epoch). A newly assigned
 * worker starts the task only once its holder released it, is this worker, is no longer a live
 * member (killed: nothing more will come from it), or has not released it within {@code timeout}.
 * Otherwise the new owner would read offsets older than the old owner's last commit, which that
 * commit, arriving later, could not correct: a source would repeat what the old owner had already
 * committed, a CDC connector its whole snapshot.
 *
 * <p>Thread-safe. {@link #held} and {@link #release} return at once (their writes are committed in
 * the background, in order after what this worker committed before).
 */
final class TaskHandover {

    private static final Logger LOG = LoggerFactory.getLogger(TaskHandover.class);
    static final String HOLDER = "holder/";
    static final String RELEASED = "released/";

    private final int self;
    private final ClusterState state;
    private final CompactedTopicMap configs;
    private final long timeoutMillis;
    /** When this worker first found each (task, epoch) still held elsewhere. */
    private final Map<String, Long> waitingSince = new ConcurrentHashMap<>();

    TaskHandover(int self, ClusterState state, CompactedTopicMap configs, long timeoutMillis) {
        this.self = self;
        this.state = state;
        this.configs = configs;
        this.timeoutMillis = timeoutMillis;
    }

    /** Whether this worker may start {@code task}, assigned to it under {@code epoch}, now. */
    boolean free(TaskId task, long epoch) {
        Holder holder = holder(task);
        String waitKey = key(task) + "@" + epoch;
        if (holder == null || holder.node == self || holder.epoch >= epoch || releasedEpoch(task) >= holder.epoch) {
            waitingSince.remove(waitKey);
            return true;
        }
        ClusterState.Member member = state.members().get(holder.node);
        if (member == null || !member.alive()) {
            waitingSince.remove(waitKey);
            return true;
        }
        long now = System.currentTimeMillis();
        long since = waitingSince.computeIfAbsent(waitKey, k -> {
            LOG.info("Task {} waits for worker {} to release it (epoch {}) before starting", task, holder.node, epoch);
            return now;
        });
        if (now - since >= timeoutMillis) {
            LOG.warn(
                    "Task {} starts without a release from worker {}, still a member, after {} ms; offsets it"
                            + " commits from now on are refused",
                    task,
                    holder.node,
                    timeoutMillis);
            waitingSince.remove(waitKey);
            return true;
        }
        return false;
    }

    /** Records this worker as the holder of {@code task} under {@code epoch}. */
    void held(TaskId task, long epoch) {
        configs.putAllEventually(Map.of(HOLDER + key(task), bytes(self + ":" + epoch)));
    }

    /** Records that this worker stopped {@code task}, which it ran under {@code epoch}. */
    void release(TaskId task, long epoch) {
        Holder holder = holder(task);
        if (holder != null && (holder.node != self || holder.epoch > epoch)) {
            return; // another worker holds it already
        }
        // after the task's last offset commit returned, so committed after it
        configs.putAllEventually(Map.of(RELEASED + key(task), bytes(Long.toString(epoch))));
    }

    private Holder holder(TaskId task) {
        byte[] v = configs.get(HOLDER + key(task));
        if (v == null) {
            return null;
        }
        String[] parts = new String(v, StandardCharsets.UTF_8).split(":");
        return new Holder(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }

    private long releasedEpoch(TaskId task) {
        byte[] v = configs.get(RELEASED + key(task));
        return v == null ? Long.MIN_VALUE : Long.parseLong(new String(v, StandardCharsets.UTF_8));
    }

    private static String key(TaskId task) {
        return task.connector() + "/" + task.task();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Holder(int node, long epoch) {}
}
