package io.sluice.worker.cluster;

import io.sluice.log.Log;
import io.sluice.worker.runtime.Ownership;
import io.sluice.worker.runtime.RuntimeConfiguration;
import io.sluice.worker.runtime.WorkerProperties;
import io.sluice.worker.storage.LogProperties;
import io.sluice.worker.store.SharedTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires cluster membership when {@code sluice.cluster.node-id} or {@code sluice.cluster.peers} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${sluice.cluster.peers:}' != '' or '${sluice.cluster.node-id:}' != ''")
public class ClusterConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);

    /** Exit status of a worker the cluster refused (sysexits' EX_CONFIG). */
    static final int REFUSED = 78;

    @Bean(destroyMethod = "close")
    public ClusterNode clusterNode(
            ClusterProperties properties,
            ClusterTlsProperties tls,
            WorkerProperties worker,
            LogProperties logProperties,
            Log log,
            ConfigurableApplicationContext context,
            @Value("${server.port:8083}") int port) {
        ClusterNode node = ClusterNode.start(
                properties, tls.grpcTls(), logProperties.dataDir(), log, RuntimeConfiguration.workerId(worker, port));
        node.onFatal(message -> {
            LOG.error("{}; stopping this worker", message);
            Thread exit = new Thread(
                    () -> {
                        SpringApplication.exit(context, () -> REFUSED);
                        System.exit(REFUSED);
                    },
                    "sluice-exit");
            // not a daemon (the heartbeat thread that refuses is): the JVM must not end before System.exit
            exit.setDaemon(false);
            exit.start();
        });
        return node;
    }

    @Bean
    public SharedTopics sharedTopics(ClusterNode node) {
        return new SharedTopics(node.configs(), node.status(), node.offsets());
    }

    /**
     * Source tasks write to replicated partitions; sink tasks read them from this worker's replica or
     * from their leader.
     */
    @Bean
    public io.sluice.worker.task.TaskTopics clusterTaskTopics(ClusterNode node, LogProperties logProperties) {
        TopicRegistry registry = new TopicRegistry(node.configs());
        return new io.sluice.worker.task.TaskTopics(
                new ReplicatedTopicWriter(
                        node.replicaNode(),
                        registry,
                        node::peers,
                        logProperties.toLogOptions().topicDefaults()),
                new ReplicatedTopicReader(node.replicaNode(), registry),
                new SharedSinkOffsets(node.sinkOffsets()));
    }

    /** {@code DELETE /hub/workers/{node-id}}. */
    @Bean
    public io.sluice.core.hub.WorkerRemoval workerRemoval(ClusterNode node) {
        return node::remove;
    }

    @Bean
    public Ownership clusterOwnership(ClusterNode node) {
        return node.ownership();
    }
}
