package io.sluice.worker.cluster;

import io.sluice.worker.cluster.Query.Refusal;
import io.sluice.worker.cluster.Query.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new worker's side of joining a running cluster ({@code sluice.cluster.join}): it first asks any
 * member for the members (the query reaches the metadata leader, Ratis redirecting it), so it can
 * start its server knowing every address, then asks the leader to add it; the leader changes the
 * metadata group's configuration and answers once the change is committed. Each step is retried
 * until {@code timeout} (a leader election, another change in progress). Used on the starting
 * thread only.
 */
final class JoinRequest {

    private static final Logger LOG = LoggerFactory.getLogger(JoinRequest.class);

    private final Duration timeout;
    private final Parameters parameters;

    JoinRequest(Duration timeout, Parameters parameters) {
        this.timeout = timeout;
        this.parameters = parameters;
    }

    /** The members of the cluster that any of {@code seeds} ({@code host:port}) belongs to. */
    SortedMap<Integer, String> members(List<String> seeds, int node) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            peers.add(RaftPeer.newBuilder()
                    .setId("join-seed-" + i)
                    .setAddress(seeds.get(i))
                    .build());
        }
        try (RaftClient client = client(RaftGroup.valueOf(MetadataServer.GROUP_ID, peers))) {
            Reply reply =
                    ask(client, new Query(Query.MEMBERS, node, null, null, null), "ask " + seeds + " for the members");
            return reply.members();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot close the join client", e);
        }
    }

    /** Asks the leader to make {@code node} at {@code address} a member; returns the leader's answer. */
    Reply join(RaftGroup group, int node, String address) {
        try (RaftClient client = client(group)) {
            Reply reply = ask(client, new Query(Query.JOIN, node, null, null, null, address), "join the cluster");
            LOG.info(
                    "Node {} at {} is a member of the cluster {}",
                    node,
                    address,
                    MemberRegistry.format(reply.members()));
            return reply;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot close the join client", e);
        }
    }

    private Reply ask(RaftClient client, Query query, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                RaftClientReply raw = client.io().sendReadOnly(Message.valueOf(ByteString.copyFrom(query.encode())));
                if (raw.isSuccess()) {
                    Reply reply =
                            Query.decodeReply(raw.getMessage().getContent().toByteArray());
                    if (reply.error() == null) {
                        return reply;
                    }
                    if (reply.refusal() != Refusal.RETRY) {
                        throw new IllegalArgumentException(
                                "Node " + query.node() + " cannot " + what + ": " + reply.error());
                    }
                    last = reply.error();
                } else {
                    last = String.valueOf(raw.getException());
                }
            } catch (IOException e) {
                last = e.toString();
            }
            LOG.info("Could not {} yet ({}); trying again", what, last);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while trying to " + what, e);
            }
        }
        throw new IllegalStateException("Node " + query.node() + " could not " + what + " within " + timeout.toSeconds()
                + " s (sluice.cluster.write-timeout); last: " + last);
    }

    private RaftClient client(RaftGroup group) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(p)
                .setParameters(parameters)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        10, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS)))
                .build();
    }
}
