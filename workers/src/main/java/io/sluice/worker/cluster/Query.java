package io.sluice.worker.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.worker.store.JsonCodec;
import java.util.Map;

/**
 * A message to the metadata leader that is not a log entry: a worker's heartbeat (which also checks
 * that the worker's peer list is the cluster's), a request for the leader's liveness view, or a part
 * of the leader's latest snapshot for a worker that fell behind the leader's Raft log.
 *
 * @param type {@code heartbeat}, {@code liveness} or {@code snapshot}
 * @param position for {@code snapshot}: the byte of the snapshot file to read from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Query(
        @JsonProperty("type") String type,
        @JsonProperty("node") Integer node,
        @JsonProperty("worker_id") String workerId,
        @JsonProperty("peers") String peers,
        @JsonProperty("position") Long position) {

    static final String SNAPSHOT = "snapshot";

    static Query snapshot(long position) {
        return new Query(SNAPSHOT, null, null, null, position);
    }

    /**
     * The leader's answer.
     *
     * @param error why a heartbeat was refused (the worker must not join), else null
     * @param leader the leader's node id
     * @param liveness node → milliseconds since its last heartbeat (for {@code liveness})
     * @param committed the leader's commit index of the metadata group when it answered (for
     *     {@code heartbeat}): a joining worker waits until it has applied that far
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reply(
            @JsonProperty("error") String error,
            @JsonProperty("leader") int leader,
            @JsonProperty("liveness") Map<Integer, Long> liveness,
            @JsonProperty("committed") Long committed) {

        Reply(String error, int leader, Map<Integer, Long> liveness) {
            this(error, leader, liveness, null);
        }
    }

    private static final TypeReference<Query> TYPE = new TypeReference<>() {};
    private static final TypeReference<Reply> REPLY = new TypeReference<>() {};

    byte[] encode() {
        return JsonCodec.write(this);
    }

    static Query decode(byte[] bytes) {
        return JsonCodec.read(bytes, TYPE, "metadata query");
    }

    static byte[] encode(Reply reply) {
        return JsonCodec.write(reply);
    }

    static Reply decodeReply(byte[] bytes) {
        return JsonCodec.read(bytes, REPLY, "metadata reply");
    }
}
