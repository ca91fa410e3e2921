package io.sluice.worker.cluster;

import io.sluice.worker.cluster.Query.Reply;
import java.io.IOException;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Any worker's side of removing a worker: the request goes to the metadata leader as a
 * {@link Query#REMOVE} query (Ratis routes it there), which makes the change ({@link MembershipChange})
 * and answers. Stateless.
 */
final class WorkerRemoval implements io.sluice.core.hub.WorkerRemoval {

    private final RaftClient client;

    /** @param client a client of the metadata group whose request timeout covers a membership change */
    WorkerRemoval(RaftClient client) {
        this.client = client;
    }

    @Override
    public Result remove(int node) {
        Reply reply;
        try {
            RaftClientReply raw = client.io()
                    .sendReadOnly(Message.valueOf(
                            ByteString.copyFrom(new Query(Query.REMOVE, node, null, null, null).encode())));
            if (!raw.isSuccess()) {
                return unavailable(String.valueOf(raw.getException()));
            }
            reply = Query.decodeReply(raw.getMessage().getContent().toByteArray());
        } catch (IOException | RuntimeException e) {
            return unavailable(e.toString());
        }
        if (reply.error() == null) {
            return new Result(
                    Outcome.REMOVED,
                    "Worker " + node + " was removed from the cluster; its connectors and tasks move to "
                            + reply.members().keySet(),
                    List.copyOf(reply.members().keySet()));
        }
        Outcome outcome = switch (reply.refusal() == null ? Query.Refusal.CONFLICT : reply.refusal()) {
            case UNKNOWN_NODE -> Outcome.UNKNOWN_NODE;
            case RETRY -> Outcome.UNAVAILABLE;
            default -> Outcome.REFUSED;
        };
        return new Result(outcome, "Worker " + node + " was not removed: " + reply.error(), null);
    }

    private static Result unavailable(String why) {
        return new Result(
                Outcome.UNAVAILABLE,
                "No metadata leader answered the removal (the hub may have no quorum); nothing was changed: " + why,
                null);
    }
}
