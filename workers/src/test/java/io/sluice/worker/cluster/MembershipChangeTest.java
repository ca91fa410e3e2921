package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MembershipChangeTest {

    private static SortedMap<Integer, String> members(int... ids) {
        SortedMap<Integer, String> out = new TreeMap<>();
        for (int id : ids) {
            out.put(id, "127.0.0.1:" + (7000 + id));
        }
        return out;
    }

    @Test
    void shouldLetANewNodeJoinAtAnAddressNoMemberUses() {
        assertThat(MembershipChange.refuseJoin(members(1, 2, 3), 4, "127.0.0.1:7004"))
                .isNull();
    }

    @Test
    void shouldTreatAJoinOfAMemberAtItsOwnAddressAsDone() {
        assertThat(MembershipChange.refuseJoin(members(1, 2, 3), 3, "127.0.0.1:7003"))
                .isNull();
    }

    @Test
    void shouldRefuseANodeIdAnotherMemberUsesNamingBothAddresses() {
        assertThat(MembershipChange.refuseJoin(members(1, 2, 3), 2, "127.0.0.1:9999"))
                .contains("node id 2 is already used by the member at 127.0.0.1:7002")
                .contains("127.0.0.1:9999");
    }

    @Test
    void shouldRefuseAnAddressAnotherMemberUses() {
        assertThat(MembershipChange.refuseJoin(members(1, 2, 3), 4, "127.0.0.1:7001"))
                .contains("address 127.0.0.1:7001 is already used by member 1");
    }

    @Test
    void shouldRemoveADeadWorkerWhileAMajorityStaysLive() {
        assertThat(MembershipChange.refuseRemoval(members(1, 2, 3, 4, 5), Set.of(1, 2, 3, 4), 5))
                .isNull();
    }

    @Test
    void shouldRemoveALiveWorkerWhenTheRestKeepAMajority() {
        assertThat(MembershipChange.refuseRemoval(members(1, 2, 3, 4), Set.of(1, 2, 3, 4), 4))
                .isNull();
    }

    @Test
    void shouldRefuseRemovingTheLastMember() {
        assertThat(MembershipChange.refuseRemoval(members(1), Set.of(1), 1)).contains("last member");
    }

    @Test
    void shouldRefuseARemovalThatLeavesNoLiveMajority() {
        // 1 and 2 live of 1, 2, 3: removing live 2 leaves {1, 3} with only 1 live
        assertThat(MembershipChange.refuseRemoval(members(1, 2, 3), Set.of(1, 2), 2))
                .contains("would leave 1 live of 2 members");
    }

    @Test
    void shouldRefuseAnyRemovalWithoutAMajorityNow() {
        assertThat(MembershipChange.refuseRemoval(members(1, 2, 3, 4), Set.of(1, 2), 4))
                .contains("no majority");
    }

    @Test
    void shouldIgnoreLiveWorkersThatAreNotMembers() {
        assertThat(MembershipChange.refuseRemoval(members(1, 2, 3), Set.of(1, 7, 8), 3))
                .contains("no majority");
    }

    @Test
    void shouldKeepTheClusterIdItHadBeforeMembersWereStored() {
        // the id used to be derived from the peer list in its canonical form
        assertThat(MembershipChange.clusterId(members(1, 2, 10)))
                .isEqualTo(java.util
                        .UUID
                        .nameUUIDFromBytes(
                                Peer.format(Peer.parseList("1@127.0.0.1:7001,2@127.0.0.1:7002,10@127.0.0.1:7010"))
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString());
    }
}
