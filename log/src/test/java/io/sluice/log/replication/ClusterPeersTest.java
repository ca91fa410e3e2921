package io.sluice.log.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;

class ClusterPeersTest {

    @Test
    void shouldLearnANodeThatJoinsAndTellTheListeners() {
        ClusterPeers peers = ClusterPeers.parse("1@127.0.0.1:7001,2@127.0.0.1:7002");
        List<RaftPeer> heard = new ArrayList<>();
        peers.onAdded(heard::add);

        peers.put("3", "127.0.0.1:7003");

        assertThat(peers.address("3")).isEqualTo("127.0.0.1:7003");
        assertThat(peers.nodeIds()).containsExactly("1", "2", "3");
        assertThat(heard).extracting(p -> p.getId().toString()).containsExactly("3");
    }

    @Test
    void shouldNotTellListenersOfANodeItKnowsAtTheSameAddress() {
        ClusterPeers peers = ClusterPeers.parse("1@127.0.0.1:7001");
        List<RaftPeer> heard = new ArrayList<>();
        peers.onAdded(heard::add);

        peers.put("1", "127.0.0.1:7001");

        assertThat(heard).isEmpty();
    }

    @Test
    void shouldForgetARemovedNodeButNeverTheLast() {
        ClusterPeers peers = ClusterPeers.parse("1@127.0.0.1:7001,2@127.0.0.1:7002");

        peers.remove("2");
        peers.remove("1");

        assertThat(peers.nodeIds()).containsExactly("1");
        assertThatThrownBy(() -> peers.address("2")).hasMessageContaining("not in the peer list");
    }

    @Test
    void shouldRefuseAMalformedAddress() {
        ClusterPeers peers = ClusterPeers.parse("1@127.0.0.1:7001");

        assertThatThrownBy(() -> peers.put("2", "nowhere")).hasMessageContaining("must be host:port");
    }
}
