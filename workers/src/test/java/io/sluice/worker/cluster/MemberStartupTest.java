package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MemberStartupTest {

    private static final String SEED = "1@127.0.0.1:7001,2@127.0.0.1:7002,3@127.0.0.1:7003";

    private static ClusterProperties props(int node, String peers, String address, String join) {
        return new ClusterProperties(
                node,
                peers,
                address,
                join,
                "127.0.0.1",
                Duration.ofSeconds(10),
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                4096);
    }

    private static Optional<SortedMap<Integer, String>> stored(String list) {
        return Optional.of(MemberRegistry.of(Peer.parseList(list)));
    }

    @Test
    void shouldStartANewClusterFromTheSeedList() {
        MemberStartup s = MemberStartup.decide(props(2, SEED, "", ""), Optional.empty());

        assertThat(s.joining()).isFalse();
        assertThat(s.address()).isEqualTo("127.0.0.1:7002");
        assertThat(s.members()).isEqualTo(MemberRegistry.of(Peer.parseList(SEED)));
    }

    @Test
    void shouldPreferTheStoredMembersOverASeedListThatDiffers() {
        MemberStartup s = MemberStartup.decide(
                props(2, "1@127.0.0.1:7001,2@127.0.0.1:7002", "", ""), stored(SEED + ",4@127.0.0.1:7004"));

        assertThat(s.joining()).isFalse();
        assertThat(s.members()).containsKeys(1, 2, 3, 4);
    }

    @Test
    void shouldJoinWhenNotAMemberAndAJoinAddressIsGiven() {
        MemberStartup s = MemberStartup.decide(props(4, SEED, "127.0.0.1:7004", "127.0.0.1:7001"), Optional.empty());

        assertThat(s.joining()).isTrue();
        assertThat(s.address()).isEqualTo("127.0.0.1:7004");
    }

    @Test
    void shouldRejoinARestartedMemberWithoutJoiningAgain() {
        MemberStartup s = MemberStartup.decide(
                props(4, SEED, "127.0.0.1:7004", "127.0.0.1:7001"), stored(SEED + ",4@127.0.0.1:7004"));

        assertThat(s.joining()).isFalse();
    }

    @Test
    void shouldRefuseAWorkerOutsideTheSeedListWithoutAnAddress() {
        assertThatThrownBy(() -> MemberStartup.decide(props(4, SEED, "", "127.0.0.1:7001"), Optional.empty()))
                .hasMessageContaining("sluice.cluster.address is not set");
    }

    @Test
    void shouldRefuseAWorkerOutsideTheSeedListThatDoesNotJoin() {
        assertThatThrownBy(() -> MemberStartup.decide(props(4, SEED, "127.0.0.1:7004", ""), Optional.empty()))
                .hasMessageContaining("start it with sluice.cluster.join");
    }

    @Test
    void shouldRefuseAMemberStartedAtAnotherAddress() {
        assertThatThrownBy(() ->
                        MemberStartup.decide(props(4, SEED, "127.0.0.1:9999", ""), stored(SEED + ",4@127.0.0.1:7004")))
                .hasMessageContaining("belongs to node 4 at 127.0.0.1:7004");
    }

    @Test
    void shouldRefuseARemovedWorkerThatDoesNotJoinAgain() {
        assertThatThrownBy(() -> MemberStartup.decide(props(4, SEED, "127.0.0.1:7004", ""), stored(SEED)))
                .hasMessageContaining("was removed from the cluster");
    }

    @Test
    void shouldRefuseAnAddressThatDiffersFromTheSeedEntry() {
        assertThatThrownBy(() -> MemberStartup.decide(props(2, SEED, "127.0.0.1:9999", ""), Optional.empty()))
                .hasMessageContaining("differs from node 2's entry 127.0.0.1:7002");
    }

    @Test
    void shouldReadAndWriteMembersAsStored() {
        SortedMap<Integer, String> m = new TreeMap<>(MemberRegistry.of(Peer.parseList(SEED)));
        assertThat(MemberRegistry.decode(MemberRegistry.encode(m))).isEqualTo(m);
        assertThat(new String(MemberRegistry.encode(m), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"1\":\"127.0.0.1:7001\",\"2\":\"127.0.0.1:7002\",\"3\":\"127.0.0.1:7003\"}");
    }
}
