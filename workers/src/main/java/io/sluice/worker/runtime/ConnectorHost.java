package io.sluice.worker.runtime;

import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.status.TargetState;
import io.sluice.worker.task.TaskRunner;
import java.util.Map;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * One connector hosted on this worker: its instance, stored config, target state and task runners.
 * Guarded by the runtime's lock; not thread-safe on its own.
 */
final class ConnectorHost {

    final String name;
    Map<String, String> config;
    TargetState target;
    Connector connector;
    boolean started;
    final Map<Integer, TaskRunner> tasks = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** In a cluster: the epoch and config each task here was started with (also when it failed to start). */
    final Map<Integer, Long> taskEpochs = new java.util.HashMap<>();

    final Map<Integer, Map<String, String>> taskStartConfigs = new java.util.HashMap<>();
    /** In a cluster: the epoch this worker started the connector instance under, null if it does not run it. */
    Long connectorEpoch;

    ConnectorHost(String name, Map<String, String> config, TargetState target) {
        this.name = name;
        this.config = config;
        this.target = target;
    }

    boolean isSink() {
        return connector instanceof SinkConnector;
    }

    int maxTasks() {
        try {
            return Math.max(
                    1, Integer.parseInt(config.getOrDefault("tasks.max", "1").trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Stops the connector instance if it was started; never throws. */
    Throwable stopConnector() {
        if (connector == null || !started) {
            return null;
        }
        started = false;
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(connector)) {
            connector.stop();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
