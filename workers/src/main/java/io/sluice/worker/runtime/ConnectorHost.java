package io.sluice.worker.runtime;

import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.status.TargetState;
import io.sluice.worker.task.TaskRunner;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * One connector as this worker hosts it: the config and target state it runs with, its instance,
 * the task runners here, and (to know what changed) the epoch and config each task was started with.
 *
 * <p>Threading: changed only on the runtime's {@link ControlLoop}. The config, target state, instance
 * and task runners are published (volatile fields, a concurrent map) so readings and task threads may
 * read them from any thread; the start records are the control thread's alone.
 */
final class ConnectorHost {

    private final String name;
    private volatile Map<String, String> config;
    private volatile TargetState target;
    private volatile Connector connector;
    private volatile boolean started;
    private final Map<Integer, TaskRunner> tasks = new ConcurrentSkipListMap<>();
    /** The epoch and config each task here was started with (also when it failed to start). */
    private final Map<Integer, Long> taskEpochs = new HashMap<>();

    private final Map<Integer, Map<String, String>> taskStartConfigs = new HashMap<>();
    /** The epoch this worker started the connector instance under, null if it does not run it. */
    private Long connectorEpoch;

    ConnectorHost(String name, Map<String, String> config, TargetState target) {
        this.name = name;
        this.config = config;
        this.target = target;
    }

    String name() {
        return name;
    }

    Map<String, String> config() {
        return config;
    }

    TargetState target() {
        return target;
    }

    /** The connector instance, or null before it is instantiated (or when it cannot be). */
    Connector connector() {
        return connector;
    }

    /** Whether the instance runs (started and not stopped since). */
    boolean started() {
        return started;
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

    /** A new config: the old instance is dropped (the caller stopped it). */
    void reconfigure(Map<String, String> newConfig) {
        this.config = newConfig;
        this.connector = null;
    }

    void target(TargetState newTarget) {
        this.target = newTarget;
    }

    void instance(Connector instance) {
        this.connector = instance;
    }

    void markStarted() {
        this.started = true;
    }

    Long connectorEpoch() {
        return connectorEpoch;
    }

    void connectorEpoch(Long epoch) {
        this.connectorEpoch = epoch;
    }

    // ---- tasks ----

    TaskRunner task(int index) {
        return tasks.get(index);
    }

    Iterable<TaskRunner> runners() {
        return tasks.values();
    }

    boolean hasRunners() {
        return !tasks.isEmpty();
    }

    void runner(int index, TaskRunner runner) {
        tasks.put(index, runner);
    }

    TaskRunner removeRunner(int index) {
        return tasks.remove(index);
    }

    /** Removes and returns every runner. */
    java.util.List<TaskRunner> removeRunners() {
        java.util.List<TaskRunner> all = new java.util.ArrayList<>(tasks.values());
        tasks.clear();
        return all;
    }

    /** Sets the target state of every task here (they pause or resume on their own threads). */
    void retargetTasks(TargetState newTarget) {
        tasks.values().forEach(t -> t.setTarget(newTarget));
    }

    /** The indexes of the tasks started here (with their epoch and config recorded). */
    java.util.Set<Integer> startedTasks() {
        return new java.util.TreeSet<>(taskEpochs.keySet());
    }

    /** Whether task {@code index} runs here under {@code epoch} with {@code taskConfig}. */
    boolean runsTask(int index, Long epoch, Map<String, String> taskConfig) {
        return taskEpochs.containsKey(index)
                && java.util.Objects.equals(epoch, taskEpochs.get(index))
                && taskConfig != null
                && taskConfig.equals(taskStartConfigs.get(index));
    }

    void recordTaskStart(int index, long epoch, Map<String, String> taskConfig) {
        taskEpochs.put(index, epoch);
        taskStartConfigs.put(index, taskConfig);
    }

    void forgetTaskStart(int index) {
        taskEpochs.remove(index);
        taskStartConfigs.remove(index);
    }

    void forgetTaskStarts() {
        taskEpochs.clear();
        taskStartConfigs.clear();
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
