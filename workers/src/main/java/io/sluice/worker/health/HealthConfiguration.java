package io.sluice.worker.health;

import io.sluice.worker.cluster.ClusterNode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worker's own health contributions beyond the log's ({@code log}): {@code cluster}. */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    @Bean("clusterHealthIndicator")
    public ClusterHealthIndicator clusterHealthIndicator(ObjectProvider<ClusterNode> cluster) {
        return new ClusterHealthIndicator(cluster.getIfAvailable());
    }
}
