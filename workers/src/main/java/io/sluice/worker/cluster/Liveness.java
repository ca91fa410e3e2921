package io.sluice.worker.cluster;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metadata leader's view of which workers heart-beat: when each was last heard. A new leader
 * starts every known member with a full session of grace, since heartbeats went to its predecessor.
 * Thread-safe.
 */
final class Liveness {

    private final long sessionTimeoutMillis;
    private final Map<Integer, Long> lastHeard = new ConcurrentHashMap<>();
    private final Map<Integer, String> workerIds = new ConcurrentHashMap<>();

    Liveness(long sessionTimeoutMillis) {
        this.sessionTimeoutMillis = sessionTimeoutMillis;
    }

    long sessionTimeoutMillis() {
        return sessionTimeoutMillis;
    }

    void heard(int node, String workerId, long now) {
        lastHeard.put(node, now);
        if (workerId != null) {
            workerIds.put(node, workerId);
        }
    }

    /** Forgets everything heard before and gives {@code members} a session from {@code now}. */
    void restart(Collection<Integer> members, long now) {
        lastHeard.clear();
        members.forEach(n -> lastHeard.put(n, now));
    }

    boolean alive(int node, long now) {
        Long at = lastHeard.get(node);
        return at != null && now - at <= sessionTimeoutMillis;
    }

    /** When {@code node} was last heard (or given a session from), or -1 if never. */
    long lastHeard(int node) {
        Long at = lastHeard.get(node);
        return at == null ? -1 : at;
    }

    String workerId(int node) {
        return workerIds.get(node);
    }

    /** Node → milliseconds since it was last heard. */
    Map<Integer, Long> ages(long now) {
        Map<Integer, Long> out = new TreeMap<>();
        lastHeard.forEach((n, at) -> out.put(n, now - at));
        return out;
    }
}
