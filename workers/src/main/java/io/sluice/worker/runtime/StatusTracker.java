package io.sluice.worker.runtime;

import io.sluice.core.status.ConnectorStatus;
import io.sluice.core.status.RestartEvent;
import io.sluice.core.status.RestartHistory;
import io.sluice.core.status.Retrying;
import io.sluice.core.status.State;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import io.sluice.worker.store.StatusStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Current states of connectors and tasks on this worker, with FAILED traces and restart histories,
 * mirrored to the status topic so they survive restarts. In a cluster the status topic is shared:
 * each report carries the epoch of this worker's assignment (the metadata group drops reports from
 * a worker that lost the task), nothing is reported for work this worker does not own, and reads
 * show other workers' connectors and tasks from the shared topic. Thread-safe.
 */
final class StatusTracker {

    private static final Logger LOG = LoggerFactory.getLogger(StatusTracker.class);

    private final String workerId;
    private final StatusStore store;
    private final Map<String, ConnectorStatus> connectors = new ConcurrentHashMap<>();
    private final Map<TaskId, TaskStatus> tasks = new ConcurrentHashMap<>();
    private final Map<TaskId, RestartHistory> histories = new ConcurrentHashMap<>();
    private final Map<TaskId, Instant> startedAt = new ConcurrentHashMap<>();
    private volatile Ownership ownership = Ownership.EVERYTHING;
    private final TaskStateMeters meters;

    StatusTracker(String workerId, StatusStore store) {
        this(workerId, store, null);
    }

    /** @param meters the task state, failure and restart meters, or null for none */
    StatusTracker(String workerId, StatusStore store, TaskStateMeters meters) {
        this.workerId = workerId;
        this.store = store;
        this.meters = meters;
    }

    /** Counts a restart of a task (automatic after a failure, or requested). */
    void restarted(TaskId id, boolean automatic) {
        if (meters != null) {
            meters.restarted(id, automatic);
        }
    }

    void ownership(Ownership ownership) {
        this.ownership = ownership;
    }

    String workerId() {
        return workerId;
    }

    void connector(String name, State state, Throwable cause) {
        ConnectorStatus previous = connectors.get(name);
        if (previous != null && previous.state() == state && cause == null) {
            return;
        }
        String trace = cause == null ? null : trace(cause);
        Long epoch = null;
        if (ownership.clustered()) {
            var owned = ownership.connectorEpoch(name);
            if (owned.isEmpty()) {
                return;
            }
            epoch = owned.getAsLong();
        }
        connectors.put(name, new ConnectorStatus(name, state, workerId, trace, 0));
        LOG.info("Connector {} is {}", name, state);
        store.putConnector(
                name, new StatusStore.Entry(state.name(), workerId, trace, System.currentTimeMillis(), null, epoch));
    }

    void task(TaskId id, State state, Throwable cause) {
        String trace = cause == null ? null : trace(cause);
        TaskStatus previous = tasks.get(id);
        if (previous != null && previous.state() == state && trace == null) {
            return;
        }
        Long epoch = null;
        if (ownership.clustered()) {
            var owned = ownership.taskEpoch(id);
            if (owned.isEmpty()) {
                return;
            }
            epoch = owned.getAsLong();
        }
        if (state == State.RUNNING && (previous == null || previous.state() != State.RUNNING)) {
            startedAt.put(id, Instant.now());
        }
        tasks.put(id, new TaskStatus(id, state, workerId, trace, 0));
        if (meters != null) {
            meters.track(id, tasks::get);
            if (state == State.FAILED && cause != null) {
                meters.failed(id, cause);
            }
        }
        LOG.info("Task {} is {}", id, state);
        store.putTask(
                id.connector(),
                id.task(),
                new StatusStore.Entry(state.name(), workerId, trace, System.currentTimeMillis(), restarts(id), epoch));
    }

    /** Records that a running task retries a transient failure, or ({@code retrying} null) makes progress again. */
    void retrying(TaskId id, Retrying retrying) {
        TaskStatus previous = tasks.get(id);
        if (previous == null || previous.state() != State.RUNNING || Objects.equals(previous.retrying(), retrying)) {
            return;
        }
        Long epoch = null;
        if (ownership.clustered()) {
            var owned = ownership.taskEpoch(id);
            if (owned.isEmpty()) {
                return;
            }
            epoch = owned.getAsLong();
        }
        tasks.put(id, previous.withRetrying(retrying));
        if (retrying != null) {
            LOG.warn("Task {} cannot make progress since {} and retries: {}", id, retrying.since(), retrying.error());
        }
        store.putTask(
                id.connector(),
                id.task(),
                new StatusStore.Entry(
                        previous.state().name(),
                        workerId,
                        null,
                        System.currentTimeMillis(),
                        restarts(id),
                        epoch,
                        retrying == null
                                ? null
                                : new StatusStore.Retrying(
                                        retrying.error(), retrying.since().toEpochMilli())));
    }

    Optional<ConnectorStatus> connector(String name) {
        ConnectorStatus local = connectors.get(name);
        if (local != null || !ownership.clustered()) {
            return Optional.ofNullable(local);
        }
        return store.connector(name)
                .map(e -> new ConnectorStatus(name, State.valueOf(e.state()), e.workerId(), e.trace(), 0));
    }

    Optional<TaskStatus> task(TaskId id) {
        TaskStatus local = tasks.get(id);
        if (local != null || !ownership.clustered()) {
            return Optional.ofNullable(local).map(s -> s.withRestarts(restartEvents(id)));
        }
        return store.task(id.connector(), id.task()).map(e -> shared(id, e));
    }

    List<TaskStatus> tasksOf(String connector) {
        Map<TaskId, TaskStatus> byId = new java.util.TreeMap<>();
        if (ownership.clustered()) {
            store.tasks(connector)
                    .forEach((i, e) -> byId.put(new TaskId(connector, i), shared(new TaskId(connector, i), e)));
        }
        tasks.forEach((id, s) -> {
            if (id.connector().equals(connector)) {
                byId.put(id, s.withRestarts(restartEvents(id)));
            }
        });
        return new ArrayList<>(byId.values());
    }

    private static TaskStatus shared(TaskId id, StatusStore.Entry e) {
        List<RestartEvent> restarts = new ArrayList<>();
        for (StatusStore.Restart r : e.restarts()) {
            restarts.add(new RestartEvent(Instant.ofEpochMilli(r.timestamp()), r.reason(), r.attempt()));
        }
        Retrying retrying = e.retrying() == null
                ? null
                : new Retrying(
                        e.retrying().error(), Instant.ofEpochMilli(e.retrying().since()));
        return new TaskStatus(id, State.valueOf(e.state()), e.workerId(), e.trace(), 0)
                .withRestarts(restarts)
                .withRetrying(retrying);
    }

    /** Forgets, on this worker only, a connector and its tasks it no longer runs (they moved or stopped). */
    void forgetLocally(String name) {
        connectors.remove(name);
        tasks.keySet().removeIf(id -> forgotten(id, name));
    }

    private boolean forgotten(TaskId id, String connector) {
        if (!id.connector().equals(connector)) {
            return false;
        }
        if (meters != null) {
            meters.forget(id);
        }
        return true;
    }

    RestartHistory history(TaskId id) {
        return histories.computeIfAbsent(id, k -> new RestartHistory());
    }

    Instant startedAt(TaskId id) {
        return startedAt.getOrDefault(id, Instant.now());
    }

    List<RestartEvent> restartEvents(TaskId id) {
        RestartHistory h = histories.get(id);
        return h == null ? List.of() : h.events();
    }

    private List<StatusStore.Restart> restarts(TaskId id) {
        List<StatusStore.Restart> out = new ArrayList<>();
        for (RestartEvent e : restartEvents(id)) {
            out.add(new StatusStore.Restart(e.at().toEpochMilli(), e.attempt(), e.reason()));
        }
        return out;
    }

    /** Forgets a removed task (its connector was reconfigured to fewer tasks, stopped or deleted). */
    void removeTask(TaskId id) {
        tasks.remove(id);
        if (meters != null) {
            meters.forget(id);
        }
        histories.remove(id);
        startedAt.remove(id);
    }

    void removeConnector(String name) {
        connectors.remove(name);
        tasks.keySet().removeIf(id -> forgotten(id, name));
        histories.keySet().removeIf(id -> id.connector().equals(name));
        store.removeConnector(name, 0);
    }

    static String trace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
