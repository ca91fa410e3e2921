package io.sluice.worker.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's side of membership: it heart-beats to the metadata leader (a read-only query, not a
 * log entry) and is <em>active</em> while the leader answered within the session timeout. It becomes
 * active only once it has applied the metadata log as far as the leader had committed it when it
 * answered, so a restarted worker never acts on a stale copy of the assignment. A worker that
 * cannot reach the leader for a session loses its membership and must stop its work; the
 * leader has by then given it to others. A worker the leader says is no longer a member (removed)
 * stops its work and heart-beats no more; any other refusal (settings that cannot work) is fatal. Thread-safe; {@link #beat()} runs on one thread.
 */
final class Membership {

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    private final RaftClient client;
    private final Query heartbeat;
    private final long sessionTimeoutMillis;
    private final long replyTimeoutMillis;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<String> fatal;
    private volatile boolean active;
    private volatile long lastAck;
    private volatile Integer leader;
    private volatile boolean refused;
    private volatile boolean removed;
    private final java.util.function.LongSupplier applied;
    private final java.util.function.BooleanSupplier selfLeads;

    Membership(
            RaftClient client,
            Query heartbeat,
            long sessionTimeoutMillis,
            long replyTimeoutMillis,
            java.util.function.LongSupplier applied,
            java.util.function.BooleanSupplier selfLeads,
            Consumer<String> fatal) {
        this.applied = applied;
        this.selfLeads = selfLeads;
        this.client = client;
        this.heartbeat = heartbeat;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
        this.replyTimeoutMillis = replyTimeoutMillis;
        this.fatal = fatal;
    }

    void beat() {
        if (refused) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            RaftClientReply reply = client.async()
                    .sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(heartbeat.encode())))
                    .get(replyTimeoutMillis, TimeUnit.MILLISECONDS);
            if (!reply.isSuccess()) {
                throw new IllegalStateException(String.valueOf(reply.getException()));
            }
            Query.Reply answer =
                    Query.decodeReply(reply.getMessage().getContent().toByteArray());
            if (answer.error() != null && answer.refusal() == Query.Refusal.NOT_A_MEMBER) {
                // removed from the cluster: stop this worker's work and stay out (no rejoining by itself)
                refused = true;
                removed = true;
                LOG.error(
                        "This worker (node {}) is no longer a member: {}; its tasks stop",
                        heartbeat.node(),
                        answer.error());
                if (active) {
                    active = false;
                    listeners.forEach(Runnable::run);
                }
                return;
            }
            if (answer.error() != null) {
                refused = true;
                fatal.accept("Node " + heartbeat.node() + " cannot join the cluster: " + answer.error());
                return;
            }
            lastAck = now;
            leader = answer.leader();
            if (!active && answer.committed() != null && applied.getAsLong() < answer.committed()) {
                // joining: act on the assignment only once this worker's copy of the config topic is as
                // recent as the leader's was (a stale copy would start tasks other workers run now)
                LOG.debug("Joining: applied {} of the leader's {}", applied.getAsLong(), answer.committed());
                return;
            }
            if (!active) {
                active = true;
                LOG.info("Joined the cluster as node {} (metadata leader: node {})", heartbeat.node(), leader);
                listeners.forEach(Runnable::run);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (selfLeads.getAsBoolean()) {
                // this worker is the ready leader (its own query may just be slow): it is in the cluster
                lastAck = now;
                LOG.debug("Heartbeat to itself as the leader failed", e);
                return;
            }
            if (active && System.currentTimeMillis() - lastAck > sessionTimeoutMillis) {
                active = false;
                LOG.warn(
                        "No metadata leader reachable for {} ms: membership lost, stopping this worker's tasks",
                        sessionTimeoutMillis);
                listeners.forEach(Runnable::run);
            } else {
                LOG.debug("Heartbeat failed", e);
            }
        }
    }

    boolean active() {
        return active;
    }

    /** True once the leader said this worker is no longer a member (it was removed). */
    boolean removed() {
        return removed;
    }

    /** The leader that answered the last heartbeat, if that was within the session timeout. */
    java.util.Optional<Integer> recentLeader() {
        long at = lastAck;
        return at != 0 && System.currentTimeMillis() - at <= sessionTimeoutMillis
                ? java.util.Optional.ofNullable(leader)
                : java.util.Optional.empty();
    }

    /** Milliseconds since the leader last answered a heartbeat, or -1 before the first. */
    long sinceLastAck() {
        long at = lastAck;
        return at == 0 ? -1 : System.currentTimeMillis() - at;
    }

    void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
