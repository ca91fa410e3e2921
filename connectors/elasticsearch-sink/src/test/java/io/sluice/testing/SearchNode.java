package io.sluice.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real single-node search cluster running in this JVM, listening on 127.0.0.1 at a fixed port
 * that survives {@link #stop()} and {@link #restart()}. Start one per test class and close it: the
 * node's threads are not daemons and keep the JVM alive. Not thread-safe.
 */
public abstract class SearchNode implements AutoCloseable {

    private final int httpPort;

    protected SearchNode(int httpPort) {
        this.httpPort = httpPort;
    }

    /** {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** What the node calls itself, e.g. "Elasticsearch 7.10.2". */
    public abstract String product();

    /** Stops the node, keeping its data; its port refuses connections until {@link #restart()}. */
    public abstract void stop();

    /** Starts the stopped node on the same port and data, and waits until it serves requests. */
    public abstract void restart();

    /** Stops the node and deletes its data. */
    @Override
    public abstract void close();

    /** Waits until the cluster reports at least yellow health. */
    protected void awaitReady(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(
                        URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for " + product(), e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for " + product(), e);
            }
        }
        throw new IllegalStateException(product() + " at " + url() + " not ready within " + timeout);
    }

    protected static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }
}
