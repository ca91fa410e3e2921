package io.sluice.worker.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * Tells a worker that crashed from one that is only slow, so the session timeout can be long enough for
 * a loaded host without making failover after a crash wait for it: the metadata leader opens a TCP
 * connection to a silent worker's cluster port, and a refused connection (nothing listens there: the
 * process is gone, its host still up) counts as proof of death. A connection that is accepted or
 * times out proves nothing, and the worker keeps its full session.
 *
 * <p>Probes run on their own daemon threads, at most one per worker at a time, so {@link #request}
 * never blocks the caller. Thread-safe.
 */
final class CrashProbe implements AutoCloseable {

    /** How long one connection attempt may take before it counts as "no answer", not as a refusal. */
    static final int CONNECT_TIMEOUT_MS = 1_000;

    private final Map<Integer, InetSocketAddress> addresses = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    /** Node → when the newest probe that found its port closed was started. */
    private final Map<Integer, Long> refusedAt = new ConcurrentHashMap<>();
    /** Node → when its running probe started (absent when none runs). */
    private final Map<Integer, Long> running = new ConcurrentHashMap<>();

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sluice-crash-probe");
        t.setDaemon(true);
        return t;
    });

    CrashProbe(Iterable<Peer> peers, LongSupplier clock) {
        this.clock = clock;
        for (Peer p : peers) {
            addresses.put(p.id(), InetSocketAddress.createUnresolved(p.host(), p.port()));
        }
    }

    /** Follows the cluster's members: probes go to these addresses from now on. */
    void track(java.util.SortedMap<Integer, String> members) {
        members.forEach((id, address) -> {
            Peer p = Peer.parse(id + "@" + address);
            addresses.put(id, InetSocketAddress.createUnresolved(p.host(), p.port()));
        });
        addresses.keySet().removeIf(id -> !members.containsKey(id));
    }

    /** Starts a probe of {@code node} unless one is running; returns at once. */
    void request(int node) {
        InetSocketAddress address = addresses.get(node);
        if (address == null) {
            return;
        }
        long started = clock.getAsLong();
        if (running.putIfAbsent(node, started) != null) {
            return;
        }
        try {
            threads.execute(() -> {
                try {
                    if (refuses(address)) {
                        refusedAt.merge(node, started, Math::max);
                    }
                } finally {
                    running.remove(node);
                }
            });
        } catch (RejectedExecutionException closed) {
            running.remove(node);
        }
    }

    /**
     * True when a probe started at or after {@code since} (the node's last heartbeat) found nothing
     * listening on its port: it has not come back since it was found gone.
     */
    boolean goneSince(int node, long since) {
        Long at = refusedAt.get(node);
        return at != null && at >= since;
    }

    private static boolean refuses(InetSocketAddress unresolved) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()), CONNECT_TIMEOUT_MS);
            return false;
        } catch (ConnectException e) {
            // "Connection refused": the host answered that nothing listens there. A timeout (an
            // unreachable or overloaded host) is a SocketTimeoutException and proves nothing.
            return e.getMessage() != null && e.getMessage().contains("refused");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
