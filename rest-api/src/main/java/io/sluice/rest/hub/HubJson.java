package io.sluice.rest.hub;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.core.hub.ConnectorRates;
import io.sluice.core.hub.PartitionRecords;
import io.sluice.core.hub.RecordView;
import io.sluice.core.hub.StateChange;
import io.sluice.core.hub.TopicInfo;
import io.sluice.core.hub.WorkerInfo;
import java.util.List;

/** The JSON shapes of {@code /hub/}, in the snake case Kafka Connect's endpoints use. */
public final class HubJson {

    private HubJson() {}

    public record Worker(
            @JsonProperty("id") String id,
            @JsonProperty("state") String state,
            @JsonProperty("version") String version,
            @JsonProperty("started_at") String startedAt,
            @JsonProperty("connectors") int connectors,
            @JsonProperty("tasks") int tasks,

            @JsonProperty("node_id") @JsonInclude(JsonInclude.Include.NON_NULL)
            Integer nodeId,

            @JsonProperty("address") @JsonInclude(JsonInclude.Include.NON_NULL)
            String address,

            @JsonProperty("metadata_leader") @JsonInclude(JsonInclude.Include.NON_NULL)
            Boolean leader,

            @JsonProperty("last_heartbeat_ms") @JsonInclude(JsonInclude.Include.NON_NULL)
            Long lastHeartbeatMillis,

            @JsonProperty("assigned") @JsonInclude(JsonInclude.Include.NON_NULL)
            List<String> assigned) {
        static Worker of(WorkerInfo w) {
            WorkerInfo.Membership m = w.cluster();
            return new Worker(
                    w.id(),
                    w.state(),
                    w.version(),
                    String.valueOf(w.startedAt()),
                    w.connectors(),
                    w.tasks(),
                    m == null ? null : m.nodeId(),
                    m == null ? null : m.address(),
                    m == null ? null : m.leader(),
                    m == null ? null : m.lastHeartbeatMillis(),
                    m == null ? null : m.assigned());
        }
    }

    /**
     * A partition; {@code state} is ONLINE, DAMAGED (readable outside {@code damage}) or OFFLINE
     * ({@code offline_reason}); {@code damage} is empty unless DAMAGED. In a cluster a replicated
     * partition also says where it lives: {@code leader} (null without one), {@code replicas},
     * {@code unreachable_replicas}, and {@code available} with a {@code reason} when it cannot be read
     * now (its offsets and size are then null: unknown).
     */
    public record Partition(
            @JsonProperty("partition") int partition,
            @JsonProperty("log_start_offset") Long logStartOffset,
            @JsonProperty("end_offset") Long endOffset,
            @JsonProperty("size_bytes") Long sizeBytes,
            @JsonProperty("state") String state,
            @JsonProperty("damage") List<Damage> damage,
            @JsonProperty("offline_reason") String offlineReason,

            @JsonProperty("leader") @JsonInclude(JsonInclude.Include.NON_NULL)
            java.util.Optional<String> leader,

            @JsonProperty("replicas") @JsonInclude(JsonInclude.Include.NON_NULL)
            List<String> replicas,

            @JsonProperty("unreachable_replicas") @JsonInclude(JsonInclude.Include.NON_NULL)
            List<String> unreachableReplicas,

            @JsonProperty("available") @JsonInclude(JsonInclude.Include.NON_NULL)
            Boolean available,

            @JsonProperty("reason") @JsonInclude(JsonInclude.Include.NON_NULL)
            String reason) {
        static Partition of(TopicInfo.PartitionInfo p) {
            TopicInfo.Placement at = p.placement();
            return new Partition(
                    p.partition(),
                    known(p.logStartOffset()),
                    known(p.endOffset()),
                    known(p.sizeInBytes()),
                    p.state().name(),
                    p.damage().stream().map(Damage::of).toList(),
                    p.offlineReason(),
                    at == null ? null : java.util.Optional.ofNullable(at.leader()),
                    at == null ? null : at.replicas(),
                    at == null ? null : at.unreachable(),
                    at == null ? null : at.available(),
                    at == null ? null : at.reason());
        }

        /** A count or offset, or null when unknown (negative). */
        private static Long known(long value) {
            return value < 0 ? null : value;
        }
    }

    /** A damaged range: offsets from_offset up to (not including) to_offset, unreadable from file's position. */
    public record Damage(
            @JsonProperty("file") String file,
            @JsonProperty("position") long position,
            @JsonProperty("from_offset") long fromOffset,
            @JsonProperty("to_offset") long toOffset,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("reason") String reason) {
        static Damage of(TopicInfo.Damage d) {
            return new Damage(d.file(), d.position(), d.fromOffset(), d.toOffset(), d.bytes(), d.reason());
        }
    }

    /** The body of a repair request. */
    public record RepairRequest(@JsonProperty("mode") String mode) {}

    /** What a repair dropped, per damaged range and in total. */
    public record Repair(
            @JsonProperty("topic") String topic,
            @JsonProperty("partition") int partition,
            @JsonProperty("mode") String mode,
            @JsonProperty("offsets_dropped") long offsetsDropped,
            @JsonProperty("bytes_dropped") long bytesDropped,
            @JsonProperty("dropped") List<Dropped> dropped) {
        static Repair of(io.sluice.core.hub.PartitionRepair r) {
            return new Repair(
                    r.topic(),
                    r.partition(),
                    r.mode().name().toLowerCase(java.util.Locale.ROOT),
                    r.offsetsDropped(),
                    r.bytesDropped(),
                    r.dropped().stream()
                            .map(d -> new Dropped(
                                    d.file(),
                                    d.position(),
                                    d.fromOffset(),
                                    d.toOffset(),
                                    d.offsetsDropped(),
                                    d.bytesDropped(),
                                    d.fileDeleted()))
                            .toList());
        }
    }

    /** One damaged range dropped: offsets from_offset up to (not including) to_offset. */
    public record Dropped(
            @JsonProperty("file") String file,
            @JsonProperty("position") long position,
            @JsonProperty("from_offset") long fromOffset,
            @JsonProperty("to_offset") long toOffset,
            @JsonProperty("offsets_dropped") long offsetsDropped,
            @JsonProperty("bytes_dropped") long bytesDropped,
            @JsonProperty("file_deleted") boolean fileDeleted) {}

    public record Replication(
            @JsonProperty("topic") String topic,
            @JsonProperty("partition") int partition,
            @JsonProperty("leader") String leader,
            @JsonProperty("replicas") List<Replica> replicas,

            @JsonProperty("reassigning")
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Move reassigning) {
        static Replication of(io.sluice.core.hub.ReplicationInfo r) {
            return new Replication(
                    r.topic(),
                    r.partition(),
                    r.leader(),
                    r.replicas().stream()
                            .map(x -> new Replica(x.nodeId(), x.reachable(), x.leader(), x.appliedIndex(), x.lag()))
                            .toList(),
                    r.reassigning() == null ? null : Move.of(r.reassigning()));
        }
    }

    /** A move of a partition's replicas, queued or under way. */
    public record Move(
            @JsonProperty("topic") String topic,
            @JsonProperty("partition") int partition,
            @JsonProperty("from") List<Integer> from,
            @JsonProperty("to") List<Integer> to) {
        static Move of(io.sluice.core.hub.ReplicaMove m) {
            return new Move(m.topic(), m.partition(), m.from(), m.to());
        }
    }

    /** Body of {@code POST /hub/topics/{topic}/partitions/{p}/reassign}. */
    public record ReassignRequest(@JsonProperty("replicas") List<Integer> replicas) {}

    public record Replica(
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("reachable") boolean reachable,
            @JsonProperty("leader") boolean leader,
            @JsonProperty("applied_index") long appliedIndex,
            @JsonProperty("lag") long lag) {}

    public record Topic(
            @JsonProperty("name") String name,
            @JsonProperty("internal") boolean internal,
            @JsonProperty("size_bytes") long sizeBytes,
            @JsonProperty("partitions") List<Partition> partitions) {
        static Topic of(TopicInfo t) {
            return new Topic(
                    t.name(),
                    t.internal(),
                    t.sizeInBytes(),
                    t.partitions().stream().map(Partition::of).toList());
        }
    }

    public record Payload(
            @JsonProperty("text") String text,
            @JsonProperty("encoding") String encoding,
            @JsonProperty("size") int size) {
        static Payload of(RecordView.Payload p) {
            return p == null ? null : new Payload(p.text(), p.encoding(), p.size());
        }
    }

    public record Header(
            @JsonProperty("key") String key,
            @JsonProperty("value") Payload value) {}

    public record Record(
            @JsonProperty("offset") long offset,
            @JsonProperty("timestamp") long timestamp,
            @JsonProperty("key") Payload key,
            @JsonProperty("value") Payload value,
            @JsonProperty("headers") List<Header> headers) {
        static Record of(RecordView r) {
            return new Record(
                    r.offset(),
                    r.timestamp(),
                    Payload.of(r.key()),
                    Payload.of(r.value()),
                    r.headers().stream()
                            .map(h -> new Header(h.key(), Payload.of(h.value())))
                            .toList());
        }
    }

    public record Records(
            @JsonProperty("topic") String topic,
            @JsonProperty("partition") int partition,
            @JsonProperty("log_start_offset") long logStartOffset,
            @JsonProperty("end_offset") long endOffset,
            @JsonProperty("next_offset") long nextOffset,
            @JsonProperty("records") List<Record> records) {
        static Records of(PartitionRecords p) {
            return new Records(
                    p.topic(),
                    p.partition(),
                    p.logStartOffset(),
                    p.endOffset(),
                    p.nextOffset(),
                    p.records().stream().map(Record::of).toList());
        }
    }

    public record Rates(
            @JsonProperty("connector") String connector,
            @JsonProperty("type") String type,
            @JsonProperty("records_total") long recordsTotal,
            @JsonProperty("records_per_second") double recordsPerSecond,
            @JsonProperty("lag") long lag) {
        static Rates of(ConnectorRates r) {
            return new Rates(r.connector(), r.type(), r.recordsTotal(), r.recordsPerSecond(), r.lag());
        }
    }

    /** {@code GET /hub/connectors/{name}/snapshot}: a CDC connector's initial snapshot progress. */
    public record Snapshot(
            @JsonProperty("connector") String connector,
            @JsonProperty("running") boolean running,
            @JsonProperty("completed") boolean completed,
            @JsonProperty("aborted") boolean aborted,
            @JsonProperty("tables_total") int tablesTotal,
            @JsonProperty("tables_done") int tablesDone,
            @JsonProperty("rows_scanned") long rowsScanned,
            @JsonProperty("rows_by_table") java.util.Map<String, Long> rowsByTable,
            @JsonProperty("rows_estimated") long rowsEstimated,
            @JsonProperty("rows_estimated_by_table") java.util.Map<String, Long> rowsEstimatedByTable,
            @JsonProperty("duration_seconds") long durationSeconds) {
        static Snapshot of(io.sluice.core.hub.SnapshotInfo s) {
            return new Snapshot(
                    s.connector(),
                    s.running(),
                    s.completed(),
                    s.aborted(),
                    s.totalTables(),
                    Math.max(0, s.totalTables() - s.remainingTables()),
                    s.rowsTotal(),
                    s.rowsScanned(),
                    s.rowsEstimate(),
                    s.rowsEstimated(),
                    s.durationSeconds());
        }
    }

    /** One task's recent points: {@code {"task", "points": [{"at", "records_per_second", "lag"}]}}. */
    public record TaskHistory(
            @JsonProperty("task") int task,
            @JsonProperty("points") List<Point> points) {
        static TaskHistory of(io.sluice.core.hub.TaskSeries s) {
            return new TaskHistory(
                    s.task(),
                    s.points().stream()
                            .map(p -> new Point(
                                    java.time.Instant.ofEpochMilli(p.at()).toString(), p.recordsPerSecond(), p.lag()))
                            .toList());
        }
    }

    public record Point(
            @JsonProperty("at") String at,
            @JsonProperty("records_per_second") double recordsPerSecond,
            @JsonProperty("lag") long lag) {}

    public record Change(
            @JsonProperty("at") String at,
            @JsonProperty("kind") String kind,
            @JsonProperty("connector") String connector,
            @JsonProperty("task") Integer task,
            @JsonProperty("state") String state,
            @JsonProperty("worker_id") String workerId) {
        static Change of(StateChange c) {
            return new Change(
                    c.at().toString(),
                    c.kind(),
                    c.connector(),
                    c.task(),
                    c.state() == null ? "REMOVED" : c.state().name(),
                    c.workerId());
        }
    }

    /**
     * One sink task's lag on one partition: {@code {"task", "topic", "partition", "records",
     * "oldest_unwritten_age_seconds"}}.
     */
    public record PartitionLag(
            @JsonProperty("task") int task,
            @JsonProperty("topic") String topic,
            @JsonProperty("partition") int partition,
            @JsonProperty("records") long records,
            @JsonProperty("oldest_unwritten_age_seconds") double oldestUnwrittenAgeSeconds) {
        static PartitionLag of(io.sluice.core.hub.PartitionLag l) {
            return new PartitionLag(l.task(), l.topic(), l.partition(), l.records(), l.oldestUnwrittenAgeSeconds());
        }
    }
}
