package io.sluice.worker.hub;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.log.Log;
import io.sluice.worker.runtime.WorkerConnectorService;
import io.sluice.worker.storage.LogProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the hub's read side: the cluster id, the rate sampler and the state-change feed, both
 * driven by one background thread.
 */
@Configuration(proxyBeanMethods = false)
public class HubConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HubConfiguration.class);

    /** How often rates are sampled and statuses compared for the event stream. */
    static final long POLL_MILLIS = 500;

    @Bean
    public WorkerHubQueries hubQueries(
            LogProperties logProperties,
            WorkerConnectorService connectors,
            Log log,
            MeterRegistry registry,
            ScheduledExecutorService hubPoller,
            org.springframework.beans.factory.ObjectProvider<io.sluice.worker.cluster.ClusterNode> cluster) {
        RateSampler rates = new RateSampler(registry);
        TaskHistory history = new TaskHistory(registry);
        StateChangeFeed changes = new StateChangeFeed(connectors);
        io.sluice.worker.task.PluginMetricsExport pluginMetrics =
                io.sluice.worker.task.Contexts.exportPluginMetrics(registry);
        long[] ticks = {0};
        hubPoller.scheduleWithFixedDelay(
                () -> {
                    try {
                        changes.poll();
                        long tick = ticks[0]++;
                        if (tick % 2 == 0) {
                            rates.sample(connectors.connectorNames());
                            pluginMetrics.sync();
                        }
                        if (tick % (TaskHistory.PERIOD_MS / POLL_MILLIS) == 0) {
                            history.sample();
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("Hub status poll failed; retrying", e);
                    }
                },
                POLL_MILLIS,
                POLL_MILLIS,
                TimeUnit.MILLISECONDS);
        io.sluice.worker.cluster.ClusterNode node = cluster.getIfAvailable();
        String clusterId = node != null ? node.clusterId() : ClusterId.loadOrCreate(logProperties.dataDir());
        WorkerHubQueries queries = new WorkerHubQueries(clusterId, connectors, log, rates, changes, history);
        if (node != null) {
            queries.showCluster(node);
        }
        return queries;
    }

    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService hubPoller() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-hub-poller");
            t.setDaemon(true);
            return t;
        });
    }
}
