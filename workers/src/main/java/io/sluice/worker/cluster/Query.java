package io.sluice.worker.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.worker.store.JsonCodec;
import java.util.Map;

/**
 * A message to the metadata leader that is not a log entry: a worker's heartbeat (which also checks
 * that the worker is still a member), a request for the leader's liveness view, a part of the
 * leader's latest snapshot for a worker that fell behind the leader's Raft log, or a membership
 * change: a new worker asking for the members and then to join, or a worker's removal (the leader
 * changes the metadata group's Raft configuration).
 *
 * @param type {@code heartbeat}, {@code liveness}, {@code snapshot}, {@code members}, {@code join} or
 *     {@code remove}
 * @param node the asking worker's node id; for {@code remove}, the node to remove
 * @param peers for {@code heartbeat}: the worker's seed list (a list that differs is only logged)
 * @param position for {@code snapshot}: the byte of the snapshot file to read from
 * @param address for {@code heartbeat} and {@code join}: the asking worker's metadata-server address
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Query(
        @JsonProperty("type") String type,
        @JsonProperty("node") Integer node,
        @JsonProperty("worker_id") String workerId,
        @JsonProperty("peers") String peers,
        @JsonProperty("position") Long position,
        @JsonProperty("address") String address) {

    static final String SNAPSHOT = "snapshot";
    static final String HEARTBEAT = "heartbeat";
    static final String LIVENESS = "liveness";
    static final String MEMBERS = "members";
    static final String JOIN = "join";
    static final String REMOVE = "remove";

    Query(String type, Integer node, String workerId, String peers, Long position) {
        this(type, node, workerId, peers, position, null);
    }

    static Query snapshot(long position) {
        return new Query(SNAPSHOT, null, null, null, position);
    }

    /** Why the leader refused a query: what the asking worker should do about it. */
    enum Refusal {
        /** Settings that cannot work (a node id another member uses): the worker must not run. */
        BAD_CONFIG,
        /** The worker is not (or no longer) a member: it stops its work and stays out. */
        NOT_A_MEMBER,
        /** A membership change the cluster cannot make now (it would lose its majority, ...). */
        CONFLICT,
        /** The node to remove is not a member. */
        UNKNOWN_NODE,
        /** Try again shortly (another membership change is in progress, no quorum yet). */
        RETRY
    }

    /**
     * The leader's answer.
     *
     * @param error why a heartbeat was refused (the worker must not join), else null
     * @param leader the leader's node id
     * @param liveness node → milliseconds since its last heartbeat (for {@code liveness})
     * @param committed the leader's commit index of the metadata group when it answered (for
     *     {@code heartbeat}): a joining worker waits until it has applied that far
     * @param refusal with {@code error}: what kind of refusal it is (null: a refusal that is fatal)
     * @param members for {@code members}, {@code join} and {@code remove}: the members after it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reply(
            @JsonProperty("error") String error,
            @JsonProperty("leader") int leader,
            @JsonProperty("liveness") Map<Integer, Long> liveness,
            @JsonProperty("committed") Long committed,
            @JsonProperty("refusal") Refusal refusal,
            @JsonProperty("members") java.util.SortedMap<Integer, String> members) {

        Reply(String error, int leader, Map<Integer, Long> liveness) {
            this(error, leader, liveness, null, null, null);
        }

        Reply(String error, int leader, Map<Integer, Long> liveness, Long committed) {
            this(error, leader, liveness, committed, null, null);
        }

        static Reply refused(Refusal refusal, String error, int leader) {
            return new Reply(error, leader, null, null, refusal, null);
        }

        static Reply members(java.util.SortedMap<Integer, String> members, int leader, long committed) {
            return new Reply(null, leader, null, committed, null, members);
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
