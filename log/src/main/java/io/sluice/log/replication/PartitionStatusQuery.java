package io.sluice.log.replication;

import io.sluice.log.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;

/**
 * A partition's {@link PartitionStatus}: asks each replica's Raft server for its role and applied
 * index (unreachable ones say so) and computes each one's lag behind the leader. When a replica
 * reports other members than the client knows (the replicas moved), the client forgets the group and
 * the status is read again from the group as it is now.
 *
 * <p>Threading: one instance per call; blocking (one group-info request per replica).
 */
final class PartitionStatusQuery {

    private final ReplicationClient client;

    PartitionStatusQuery(ReplicationClient client) {
        this.client = client;
    }

    PartitionStatus run(TopicPartition tp) {
        return run(tp, true);
    }

    private PartitionStatus run(TopicPartition tp, boolean relearnIfMoved) {
        RaftGroup group = client.groupOf(tp);
        List<String> ids = new ArrayList<>();
        List<GroupInfoReply> infos = new ArrayList<>();
        String leader = null;
        for (RaftPeer peer : group.getPeers()) {
            ids.add(peer.getId().toString());
            GroupInfoReply info = client.info(peer.getId(), group.getGroupId());
            infos.add(info);
            if (info != null && info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                leader = peer.getId().toString();
            }
            if (relearnIfMoved
                    && info != null
                    && !info.getGroup().getPeers().isEmpty()
                    && !ReplicationClient.memberIds(info.getGroup()).equals(ReplicationClient.memberIds(group))) {
                client.forget(group.getGroupId()); // the replicas moved since this client learnt the group
                return run(tp, false);
            }
        }
        if (leader == null) {
            for (GroupInfoReply info : infos) {
                RoleInfoProto role = info == null ? null : info.getRoleInfoProto();
                if (role != null
                        && role.hasFollowerInfo()
                        && role.getFollowerInfo().hasLeaderInfo()) {
                    String id = role.getFollowerInfo()
                            .getLeaderInfo()
                            .getId()
                            .getId()
                            .toStringUtf8();
                    if (!id.isEmpty()) {
                        leader = id;
                    }
                }
            }
        }
        long leaderApplied = -1;
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).equals(leader) && infos.get(i) != null) {
                leaderApplied = applied(infos.get(i));
            }
        }
        List<ReplicaStatus> replicas = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            GroupInfoReply info = infos.get(i);
            long applied = info == null ? -1 : applied(info);
            long lag = info == null || leaderApplied < 0 ? -1 : Math.max(0, leaderApplied - applied);
            replicas.add(new ReplicaStatus(ids.get(i), info != null, ids.get(i).equals(leader), applied, lag));
        }
        return new PartitionStatus(tp.topic(), tp.partition(), Optional.ofNullable(leader), List.copyOf(replicas));
    }

    private static long applied(GroupInfoReply info) {
        return info.getLogInfoProto().getApplied().getIndex();
    }
}
