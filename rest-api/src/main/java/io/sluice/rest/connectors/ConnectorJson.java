package io.sluice.rest.connectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.core.service.ConnectorInfo;
import io.sluice.core.service.ConnectorOffsets;
import io.sluice.core.service.ConnectorStateInfo;
import io.sluice.core.service.TaskInfo;
import io.sluice.core.status.ConnectorStatus;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.health.ConnectorType;

/**
 * The JSON shapes of Kafka Connect's {@code /connectors} endpoints, field for field as Kafka
 * Connect 4.3's REST entities write them, with conversions from the service's records.
 */
public final class ConnectorJson {

    private ConnectorJson() {}

    /** {@code {"connector": "name", "task": 0}}. */
    public record TaskRef(
            @JsonProperty("connector") String connector,
            @JsonProperty("task") int task) {
        static TaskRef of(TaskId id) {
            return new TaskRef(id.connector(), id.task());
        }
    }

    /** {@code GET /connectors/{name}}, and the answer to creating or configuring one. */
    public record Info(
            @JsonProperty("name") String name,
            @JsonProperty("config") Map<String, String> config,
            @JsonProperty("tasks") List<TaskRef> tasks,
            @JsonProperty("type") String type) {
        static Info of(ConnectorInfo info) {
            return new Info(
                    info.name(),
                    info.config(),
                    info.tasks().stream().map(TaskRef::of).toList(),
                    typeName(info.type()));
        }
    }

    /** A connector's state: {@code {"state", "worker_id", "trace"?}}. */
    public record State(
            @JsonProperty("state") String state,
            @JsonProperty("worker_id") String workerId,

            @JsonProperty("trace") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            String trace) {
        static State of(ConnectorStatus status) {
            return new State(status.state().name(), status.workerId(), status.trace());
        }
    }

    /**
     * A task's state: {@code {"id", "state", "worker_id", "trace"?}}, plus Sluice's {@code "restarts"}
     * (recent automatic and requested restarts, oldest first) when there were any.
     */
    public record TaskState(
            @JsonProperty("id") int id,
            @JsonProperty("state") String state,
            @JsonProperty("worker_id") String workerId,

            @JsonProperty("trace") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            String trace,

            @JsonProperty("restarts") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<Restart> restarts,

            @JsonProperty("retrying") @JsonInclude(JsonInclude.Include.NON_NULL)
            Retrying retrying) {
        static TaskState of(TaskStatus status) {
            return new TaskState(
                    status.id().task(),
                    status.state().name(),
                    status.workerId(),
                    status.trace(),
                    status.restarts().stream().map(Restart::of).toList(),
                    status.retrying() == null ? null : Retrying.of(status.retrying()));
        }
    }

    /**
     * Sluice's {@code "retrying"} of a RUNNING task that retries a transient failure: {@code {"error",
     * "since"}} (ISO-8601).
     */
    public record Retrying(
            @JsonProperty("error") String error,
            @JsonProperty("since") String since) {
        static Retrying of(io.sluice.core.status.Retrying r) {
            return new Retrying(r.error(), r.since().toString());
        }
    }

    /** One restart of a task: when, which consecutive attempt (0 when requested), and why. */
    public record Restart(
            @JsonProperty("at") String at,
            @JsonProperty("attempt") int attempt,
            @JsonProperty("reason") String reason) {
        static Restart of(io.sluice.core.status.RestartEvent e) {
            return new Restart(e.at().toString(), e.attempt(), e.reason());
        }
    }

    /**
     * {@code GET /connectors/{name}/status}, plus Sluice's {@code "health"} (the worst of the connector
     * and its tasks: {@code HEALTHY}, {@code DEGRADED} or {@code FAILED}) and {@code "replication_slot"}
     * for a Postgres CDC connector once its slot was measured (Kafka Connect clients ignore unknown
     * fields).
     */
    public record Status(
            @JsonProperty("name") String name,
            @JsonProperty("connector") State connector,
            @JsonProperty("tasks") List<TaskState> tasks,
            @JsonProperty("type") String type,
            @JsonProperty("health") String health,

            @JsonProperty("replication_slot") @JsonInclude(JsonInclude.Include.NON_NULL)
            ReplicationSlot replicationSlot) {
        static Status of(ConnectorStateInfo info) {
            return new Status(
                    info.name(),
                    State.of(info.connector()),
                    info.tasks().stream().map(TaskState::of).toList(),
                    typeName(info.type()),
                    info.health().name(),
                    info.replicationSlot() == null ? null : ReplicationSlot.of(info.replicationSlot()));
        }
    }

    /**
     * A CDC connector's replication slot: {@code {"slot_name", "active", "retained_wal_bytes",
     * "unconfirmed_bytes", "warn_bytes", "warning"?, "measured_at", "lag_seconds"?}}; {@code
     * lag_seconds} (seconds behind the database) only on the worker that runs the connector's task.
     */
    public record ReplicationSlot(
            @JsonProperty("slot_name") String slotName,
            @JsonProperty("active") boolean active,
            @JsonProperty("retained_wal_bytes") long retainedWalBytes,
            @JsonProperty("unconfirmed_bytes") long unconfirmedBytes,
            @JsonProperty("warn_bytes") long warnBytes,

            @JsonProperty("warning") @JsonInclude(JsonInclude.Include.NON_NULL)
            String warning,

            @JsonProperty("measured_at") String measuredAt,

            @JsonProperty("lag_seconds") @JsonInclude(JsonInclude.Include.NON_NULL)
            Double lagSeconds) {
        public static ReplicationSlot of(io.sluice.core.status.ReplicationSlotStatus s) {
            return new ReplicationSlot(
                    s.slotName(),
                    s.active(),
                    s.retainedWalBytes(),
                    s.unconfirmedBytes(),
                    s.warnBytes(),
                    s.warning(),
                    s.measuredAt().toString(),
                    s.lagSeconds());
        }
    }

    /** One entry of {@code GET /connectors/{name}/tasks}. */
    public record Task(
            @JsonProperty("id") TaskRef id,
            @JsonProperty("config") Map<String, String> config) {
        static Task of(TaskInfo info) {
            return new Task(TaskRef.of(info.id()), info.config());
        }
    }

    /** The body of {@code POST /connectors}. */
    public record CreateRequest(
            @JsonProperty("name") String name,
            @JsonProperty("config") Map<String, String> config,
            @JsonProperty("initial_state") String initialState) {}

    /** One partition's offset, in {@code GET} and {@code PATCH /connectors/{name}/offsets}. */
    public record Offset(
            @JsonProperty("partition") Map<String, Object> partition,
            @JsonProperty("offset") Map<String, Object> offset) {}

    /** {@code {"offsets": [...]}}. */
    public record Offsets(@JsonProperty("offsets") List<Offset> offsets) {
        static Offsets of(ConnectorOffsets offsets) {
            return new Offsets(offsets.offsets().stream()
                    .map(o -> new Offset(copy(o.partition()), copy(o.offset())))
                    .toList());
        }

        ConnectorOffsets toService() {
            return new ConnectorOffsets(offsets.stream()
                    .map(o -> new ConnectorOffsets.Offset(o.partition(), o.offset()))
                    .toList());
        }

        private static Map<String, Object> copy(Map<String, ?> map) {
            return map == null ? null : new java.util.LinkedHashMap<>(map);
        }
    }

    /** {@code {"message": "..."}}, Kafka's answer to offset changes. */
    public record Message(@JsonProperty("message") String message) {}

    /** One entry of {@code GET /connectors/{name}/topics}: {@code {"topics": [...]}}. */
    public record ActiveTopics(@JsonProperty("topics") List<String> topics) {}

    /** Kafka Connect writes connector types in lower case. */
    static String typeName(ConnectorType type) {
        return type == null ? "unknown" : type.name().toLowerCase(Locale.ROOT);
    }
}
