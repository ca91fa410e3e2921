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
 * holder/<connector>/<task>} = {@code node:epoch:incarnation}, the incarnation telling this run of the
 * worker's JVM from earlier ones); when it has stopped the task (and so committed its offsets) it
 * records that holding as released ({@code released/<connector>/<task>}). A newly assigned worker
 * starts the task only once its holder released it, is this worker, is no longer a live member
 * (killed: nothing more will come from it), or has not released it within {@code timeout}. Otherwise
 * the new owner would read offsets older than the old owner's last commit, which that commit,
 * arriving later, could not correct: a source would repeat what the old owner had already committed,
 * a CDC connector its whole snapshot. A worker that joins releases what earlier runs of it held
 * ({@link #releaseStale}): it runs nothing it has not started since.
 *
 * <p>Thread-safe. {@link #held}, {@link #release} and {@link #releaseStale} return at once: their
 * writes are committed in the background, in order after what this worker committed before.
 */
final class TaskHandover {

    private static final Logger LOG = LoggerFactory.getLogger(TaskHandover.class);
    static final String HOLDER = "holder/";
    static final String RELEASED = "released/";

    private final int self;
    private final ClusterState state;
    private final CompactedTopicMap configs;
    private final long timeoutMillis;
    private final long incarnation = new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;
    /** The holder value this worker wrote for each task it runs now. */
    private final Map<String, String> running = new ConcurrentHashMap<>();
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
        String key = key(task);
        String raw = text(configs.get(HOLDER + key));
        String waitKey = key + "@" + epoch;
        Holder holder = raw == null ? null : Holder.parse(raw);
        if (holder == null
                || holder.node == self
                || holder.epoch >= epoch
                || raw.equals(text(configs.get(RELEASED + key)))) {
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
        String raw = self + ":" + epoch + ":" + incarnation;
        running.put(key(task), raw);
        configs.putAllEventually(Map.of(HOLDER + key(task), bytes(raw)));
    }

    /** Records that this worker stopped {@code task}, its last offsets committed. */
    void release(TaskId task, long epoch) {
        String raw = running.remove(key(task));
        if (raw != null) {
            // after the task's last offset commit returned, so committed after it
            configs.putAllEventually(Map.of(RELEASED + key(task), bytes(raw)));
        }
    }

    /** Releases the tasks the config topic says this worker holds but that this run of it did not start. */
    void releaseStale() {
        Map<String, byte[]> changes = new java.util.LinkedHashMap<>();
        configs.withPrefix(HOLDER).forEach((k, v) -> {
            String key = k.substring(HOLDER.length());
            String raw = text(v);
            Holder holder = Holder.parse(raw);
            if (holder.node == self
                    && !raw.equals(running.get(key))
                    && !raw.equals(text(configs.get(RELEASED + key)))) {
                changes.put(RELEASED + key, v);
            }
        });
        if (!changes.isEmpty()) {
            LOG.info("Releasing {} task(s) an earlier run of this worker held", changes.size());
            configs.putAllEventually(changes);
        }
    }

    private static String key(TaskId task) {
        return task.connector() + "/" + task.task();
    }

    private static String text(byte[] v) {
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Holder(int node, long epoch) {
        static Holder parse(String raw) {
            String[] parts = raw.split(":");
            return new Holder(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        }
    }
}
