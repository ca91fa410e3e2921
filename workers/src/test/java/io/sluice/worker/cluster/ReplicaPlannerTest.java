package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.worker.cluster.ReplicaPlanner.PartitionId;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReplicaPlannerTest {

    /** Twelve partitions over three members, RF 3, leaders rotated: the shape a 3-worker cluster has. */
    private static Map<PartitionId, List<Integer>> threeMembers() {
        Map<PartitionId, List<Integer>> current = new TreeMap<>();
        for (int p = 0; p < 12; p++) {
            current.put(
                    new PartitionId(p < 6 ? "orders" : "audit", p % 6),
                    List.of(1 + p % 3, 1 + (p + 1) % 3, 1 + (p + 2) % 3));
        }
        return current;
    }

    @Test
    void shouldLeaveABalancedPlacementAsItIs() {
        Map<PartitionId, List<Integer>> current = threeMembers();
        Map<PartitionId, List<Integer>> target = ReplicaPlanner.plan(members(1, 2, 3), current, 3);
        assertThat(target).isEqualTo(current);
        assertThat(ReplicaPlanner.replicaMoves(current, target)).isZero();
    }

    @Test
    void shouldGiveAJoiningMemberAFairShareWithTheFewestMoves() {
        Map<PartitionId, List<Integer>> current = threeMembers();
        Map<PartitionId, List<Integer>> target = ReplicaPlanner.plan(members(1, 2, 3, 4), current, 3);

        assertThat(target.values()).allSatisfy(r -> assertThat(r).hasSize(3).doesNotHaveDuplicates());
        assertThat(replicaCounts(target))
                .containsOnly(Map.entry(1, 9), Map.entry(2, 9), Map.entry(3, 9), Map.entry(4, 9));
        assertThat(ReplicaPlanner.replicaMoves(current, target))
                .as("36 replicas over 4 members: 9 move to the new one")
                .isEqualTo(9);
        assertThat(leaderCounts(target).values()).allSatisfy(n -> assertThat(n).isBetween(3, 3));
    }

    @Test
    void shouldRecreateARemovedMembersReplicasOnTheLeastLoadedOthers() {
        Map<PartitionId, List<Integer>> four = ReplicaPlanner.plan(members(1, 2, 3, 4), threeMembers(), 3);
        Map<PartitionId, List<Integer>> target = ReplicaPlanner.plan(members(1, 2, 3), four, 3);

        assertThat(target.values()).allSatisfy(r -> assertThat(r).hasSize(3).doesNotContain(4));
        assertThat(ReplicaPlanner.replicaMoves(four, target))
                .as("only the removed member's 9 replicas move")
                .isEqualTo(9);
        four.forEach((p, before) -> {
            if (!before.contains(4)) {
                assertThat(target.get(p))
                        .as("%s had no replica on the removed member", p)
                        .containsExactlyInAnyOrderElementsOf(before);
            }
        });
        assertThat(leaderCounts(target).values()).allSatisfy(n -> assertThat(n).isEqualTo(4));
    }

    @Test
    void shouldLowerTheReplicationFactorToTheNumberOfMembers() {
        Map<PartitionId, List<Integer>> target = ReplicaPlanner.plan(members(2, 3), threeMembers(), 3);
        assertThat(target.values()).allSatisfy(r -> assertThat(r).containsExactlyInAnyOrder(2, 3));
        assertThat(leaderCounts(target)).containsOnly(Map.entry(2, 6), Map.entry(3, 6));
    }

    @Test
    void shouldRaiseTheReplicationFactorWhenMembersJoinASmallCluster() {
        Map<PartitionId, List<Integer>> current = new TreeMap<>();
        for (int p = 0; p < 5; p++) {
            current.put(new PartitionId("t", p), List.of(1));
        }
        Map<PartitionId, List<Integer>> target = ReplicaPlanner.plan(members(1, 2, 3, 4, 5), current, 3);
        assertThat(target.values()).allSatisfy(r -> assertThat(r).hasSize(3));
        assertThat(replicaCounts(target).values()).allSatisfy(n -> assertThat(n).isEqualTo(3));
        assertThat(leaderCounts(target).values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    }

    @Test
    void shouldRefuseToPlanWithoutMembers() {
        assertThatThrownBy(() -> ReplicaPlanner.plan(new TreeSet<>(), threeMembers(), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no members");
    }

    private static SortedSet<Integer> members(Integer... ids) {
        return new TreeSet<>(List.of(ids));
    }

    private static Map<Integer, Integer> replicaCounts(Map<PartitionId, List<Integer>> placement) {
        Map<Integer, Integer> counts = new TreeMap<>();
        placement.values().forEach(r -> r.forEach(m -> counts.merge(m, 1, Integer::sum)));
        return counts;
    }

    private static Map<Integer, Integer> leaderCounts(Map<PartitionId, List<Integer>> placement) {
        Map<Integer, Integer> counts = new TreeMap<>();
        placement.values().forEach(r -> counts.merge(r.get(0), 1, Integer::sum));
        return counts;
    }
}
