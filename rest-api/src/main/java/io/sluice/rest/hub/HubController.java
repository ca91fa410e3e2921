package io.sluice.rest.hub;

import io.sluice.core.hub.HubQueries;
import io.sluice.core.hub.PartitionRepair;
import io.sluice.rest.errors.RestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The hub's views (workers, topics, records of a partition, rates and lag) and the repair of a damaged
 * partition. Stateless.
 */
@RestController
@RequestMapping(path = "/hub", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "hub", description = "Sluice's own endpoints")
public class HubController {

    /** The most records one page may ask for. */
    static final int MAX_RECORDS = 1000;

    /** Internal topics (configs, statuses, offsets) start with this. */
    static final String INTERNAL_PREFIX = "__";

    private static final String REPAIR_MODES = "truncate, recopy";

    private final HubQueries hub;

    public HubController(HubQueries hub) {
        this.hub = hub;
    }

    @GetMapping("/workers")
    @Operation(summary = "Workers of the cluster and their state")
    public List<HubJson.Worker> workers() {
        return hub.workers().stream().map(HubJson.Worker::of).toList();
    }

    @GetMapping("/topics")
    @Operation(
            summary = "Topics of the log with partitions, sizes and end offsets; in a cluster the cluster's topics,"
                    + " the same on every worker, each replicated partition with its leader, replicas and whether"
                    + " it can be read now (available, reason)")
    public List<HubJson.Topic> topics() {
        return hub.topics().stream().map(HubJson.Topic::of).toList();
    }

    @GetMapping("/replication")
    @Operation(summary = "Replicated partitions of a cluster: leader and each replica's lag (empty on one worker)")
    public List<HubJson.Replication> replication() {
        return hub.replication().stream().map(HubJson.Replication::of).toList();
    }

    @GetMapping("/topics/{topic}")
    @Operation(
            summary = "One topic with partitions, sizes and end offsets; in a cluster as every worker answers it,"
                    + " with each partition's leader and replicas")
    public HubJson.Topic topic(@PathVariable("topic") String topic) {
        return HubJson.Topic.of(hub.topic(topic));
    }

    @PostMapping(path = "/topics/{topic}/partitions/{partition}/reassign", consumes = MediaType.APPLICATION_JSON_VALUE)
    @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(
            summary = "Moves a replicated partition to other workers. Body {\"replicas\": [2, 3, 4]} (worker ids,"
                    + " preferred leader first). 202 once queued: the new replicas copy the data, then the old"
                    + " ones are dropped; GET /hub/replication shows the move under \"reassigning\" until done."
                    + " 400 naming a worker id that is not in the cluster, a worker named twice or an empty list")
    public HubJson.Move reassign(
            @PathVariable("topic") String topic,
            @PathVariable("partition") int partition,
            @RequestBody(required = false) HubJson.ReassignRequest request) {
        if (partition < 0) {
            throw RestException.badRequest("partition must be >= 0, was " + partition);
        }
        if (request == null || request.replicas() == null || request.replicas().isEmpty()) {
            throw RestException.badRequest(
                    "replicas is required: a list of worker ids, e.g. {\"replicas\": [1, 2, 3]}");
        }
        if (request.replicas().stream().anyMatch(java.util.Objects::isNull)) {
            throw RestException.badRequest("replicas must be worker ids, not null: " + request.replicas());
        }
        try {
            return HubJson.Move.of(hub.reassign(topic, partition, request.replicas()));
        } catch (IllegalArgumentException e) {
            throw RestException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new RestException(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    @PostMapping("/replicas/rebalance")
    @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(
            summary = "Plans a fair placement of every replicated partition over the current workers (replication"
                    + " factor min(3, workers), replicas and preferred leaders spread evenly, fewest moves) and"
                    + " queues the moves; 202 with the moves queued")
    public List<HubJson.Move> rebalanceReplicas() {
        try {
            return hub.rebalanceReplicas().stream().map(HubJson.Move::of).toList();
        } catch (IllegalStateException e) {
            throw new RestException(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    @PostMapping(path = "/topics/{topic}/partitions/{partition}/repair", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Repairs a damaged partition of this worker's log. Body {\"mode\": \"truncate\"}: keeps the"
                    + " records before and after each damaged range and drops the range (its offsets become a gap"
                    + " that reads skip); answers exactly what was dropped. Mode \"recopy\" (copy the range back"
                    + " from a healthy replica) is not available yet (409). 404: no such topic or partition;"
                    + " 409: the partition is not damaged (or is offline)")
    public HubJson.Repair repair(
            @PathVariable("topic") String topic,
            @PathVariable("partition") int partition,
            @RequestBody(required = false) HubJson.RepairRequest request) {
        if (partition < 0) {
            throw RestException.badRequest("partition must be >= 0, was " + partition);
        }
        if (request == null || request.mode() == null || request.mode().isBlank()) {
            throw RestException.badRequest("mode is required: one of " + REPAIR_MODES);
        }
        PartitionRepair.Mode mode;
        try {
            mode = PartitionRepair.Mode.valueOf(request.mode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RestException.badRequest("mode must be one of " + REPAIR_MODES + ", was " + request.mode());
        }
        return HubJson.Repair.of(hub.repair(topic, partition, mode));
    }

    @GetMapping("/topics/{topic}/partitions/{partition}/records")
    @Operation(
            summary = "Records of a partition from an offset, decoded for reading: UTF-8 text where possible,"
                    + " else base64; in a cluster from any worker (read from its replica or the partition's"
                    + " leader), 503 when the partition cannot be read now")
    public HubJson.Records records(
            @PathVariable("topic") String topic,
            @PathVariable("partition") int partition,
            @RequestParam(name = "offset", defaultValue = "0") long offset,
            @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (topic.startsWith(INTERNAL_PREFIX)) {
            // internal topics hold connector configs as stored, secrets included
            throw new RestException(
                    HttpStatus.FORBIDDEN,
                    "Records of internal topic " + topic + " cannot be read through the REST API");
        }
        if (partition < 0) {
            throw RestException.badRequest("partition must be >= 0, was " + partition);
        }
        if (offset < 0) {
            throw RestException.badRequest("offset must be >= 0, was " + offset);
        }
        if (limit < 1 || limit > MAX_RECORDS) {
            throw RestException.badRequest("limit must be between 1 and " + MAX_RECORDS + ", was " + limit);
        }
        return HubJson.Records.of(hub.records(topic, partition, offset, limit));
    }

    @GetMapping("/connectors/rates")
    @Operation(summary = "Throughput and lag of every connector")
    public List<HubJson.Rates> rates() {
        return hub.rates().stream().map(HubJson.Rates::of).toList();
    }

    @GetMapping("/connectors/{connector}/snapshot")
    @Operation(
            summary =
                    "Initial snapshot progress of a CDC connector (tables done, rows so far, estimated rows); 404 when none")
    public HubJson.Snapshot snapshot(@PathVariable("connector") String connector) {
        return hub.snapshot(connector)
                .map(HubJson.Snapshot::of)
                .orElseThrow(() -> new RestException(
                        HttpStatus.NOT_FOUND,
                        "No snapshot information for connector " + connector + " (not a CDC connector, or its task"
                                + " is not running on this worker)"));
    }

    @GetMapping("/connectors/{connector}/replication-slot")
    @Operation(
            summary = "A Postgres CDC connector's replication slot measured now: WAL retained and unconfirmed,"
                    + " with a warning above its threshold; 404 when none")
    public io.sluice.rest.connectors.ConnectorJson.ReplicationSlot replicationSlot(
            @PathVariable("connector") String connector) {
        return hub.replicationSlot(connector)
                .map(io.sluice.rest.connectors.ConnectorJson.ReplicationSlot::of)
                .orElseThrow(() -> new RestException(
                        HttpStatus.NOT_FOUND,
                        "No replication slot for connector " + connector + " (not a Postgres CDC connector, or"
                                + " its slot does not exist or cannot be read)"));
    }

    @GetMapping("/connectors/{connector}/history")
    @Operation(summary = "Per-task throughput and lag over the last minutes, one point every 2 s")
    public List<HubJson.TaskHistory> history(@PathVariable("connector") String connector) {
        return hub.history(connector).stream().map(HubJson.TaskHistory::of).toList();
    }

    @GetMapping("/connectors/{connector}/lag")
    @Operation(
            summary = "Per sink task and partition: records not yet written (log end minus committed offset) and the"
                    + " age of the oldest of them; tasks on this worker")
    public List<HubJson.PartitionLag> lag(@PathVariable("connector") String connector) {
        return hub.lag(connector).stream().map(HubJson.PartitionLag::of).toList();
    }

    @GetMapping("/connectors/{connector}/rates")
    @Operation(summary = "Throughput and lag of one connector")
    public HubJson.Rates rates(@PathVariable("connector") String connector) {
        return HubJson.Rates.of(hub.rates(connector));
    }
}
