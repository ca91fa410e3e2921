package io.sluice.core.service;

import io.sluice.core.status.ConnectorStatus;
import io.sluice.core.status.State;
import io.sluice.core.status.TaskStatus;
import java.util.List;

/**
 * {@code POST /connectors/{name}/restart?includeTasks=&onlyFailed=}: restart the connector (only if
 * FAILED when {@code onlyFailed}) and, with {@code includeTasks}, its tasks (only the FAILED ones
 * when {@code onlyFailed}).
 */
public record RestartRequest(String connector, boolean onlyFailed, boolean includeTasks) {

    /** Whether the request restarts more than the connector object (Kafka then answers 202). */
    public boolean forcesStatusResponse() {
        return onlyFailed || includeTasks;
    }

    /** Whether a connector in {@code state} is restarted by this request. */
    public boolean restartsConnector(State state) {
        return !onlyFailed || state == State.FAILED;
    }

    /** Whether a task in {@code state} is restarted by this request. */
    public boolean restartsTask(State state) {
        return includeTasks && (!onlyFailed || state == State.FAILED);
    }

    /**
     * The statuses this request plans, as Kafka Connect answers a restart: what it restarts shown as
     * {@code RESTARTING}, the rest as {@code before}.
     */
    public ConnectorStateInfo planned(ConnectorStateInfo before) {
        ConnectorStatus c = before.connector();
        ConnectorStatus connectorPlan = restartsConnector(c.state())
                ? new ConnectorStatus(c.connector(), State.RESTARTING, c.workerId(), c.trace(), c.generation())
                : c;
        List<TaskStatus> taskPlan = before.tasks().stream()
                .map(t -> restartsTask(t.state())
                        ? new TaskStatus(
                                t.id(), State.RESTARTING, t.workerId(), t.trace(), t.generation(), t.restarts(), null)
                        : t)
                .toList();
        return new ConnectorStateInfo(before.name(), connectorPlan, taskPlan, before.type(), before.replicationSlot());
    }
}
