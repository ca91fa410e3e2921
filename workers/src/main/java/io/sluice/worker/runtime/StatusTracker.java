package io.sluice.worker.runtime;

import io.sluice.core.status.ConnectorStatus;
import io.sluice.core.status.RestartEvent;
import io.sluice.core.status.RestartHistory;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Current states of connectors and tasks on this worker, with FAILED traces and restart histories,
 * mirrored to the status topic so they survive restarts. Thread-safe.
 */
final class StatusTracker {

    private static final Logger LOG = LoggerFactory.getLogger(StatusTracker.class);

    private final String workerId;
    private final StatusStore store;
    private final Map<String, ConnectorStatus> connectors = new ConcurrentHashMap<>();
    private final Map<TaskId, TaskStatus> tasks = new ConcurrentHashMap<>();
    private final Map<TaskId, RestartHistory> histories = new ConcurrentHashMap<>();
    private final Map<TaskId, Instant> startedAt = new ConcurrentHashMap<>();

    StatusTracker(String workerId, StatusStore store) {
        this.workerId = workerId;
        this.store = store;
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
        connectors.put(name, new ConnectorStatus(name, state, workerId, trace, 0));
        LOG.info("Connector {} is {}", name, state);
        store.putConnector(
                name, new StatusStore.Entry(state.name(), workerId, trace, System.currentTimeMillis(), null));
    }

    void task(TaskId id, State state, Throwable cause) {
        String trace = cause == null ? null : trace(cause);
        TaskStatus previous = tasks.get(id);
        if (previous != null && previous.state() == state && trace == null) {
            return;
        }
        if (state == State.RUNNING && (previous == null || previous.state() != State.RUNNING)) {
            startedAt.put(id, Instant.now());
        }
        tasks.put(id, new TaskStatus(id, state, workerId, trace, 0));
        LOG.info("Task {} is {}", id, state);
        store.putTask(
                id.connector(),
                id.task(),
                new StatusStore.Entry(state.name(), workerId, trace, System.currentTimeMillis(), restarts(id)));
    }

    Optional<ConnectorStatus> connector(String name) {
        return Optional.ofNullable(connectors.get(name));
    }

    Optional<TaskStatus> task(TaskId id) {
        return Optional.ofNullable(tasks.get(id)).map(s -> s.withRestarts(restartEvents(id)));
    }

    List<TaskStatus> tasksOf(String connector) {
        List<TaskStatus> out = new ArrayList<>();
        tasks.forEach((id, s) -> {
            if (id.connector().equals(connector)) {
                out.add(s.withRestarts(restartEvents(id)));
            }
        });
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
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
        histories.remove(id);
        startedAt.remove(id);
    }

    void removeConnector(String name) {
        connectors.remove(name);
        tasks.keySet().removeIf(id -> id.connector().equals(name));
        histories.keySet().removeIf(id -> id.connector().equals(name));
        store.removeConnector(name, 0);
    }

    static String trace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
