package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTest {

    @Test
    void shouldParseAPeerListSortedById() {
        assertThat(Peer.parseList("2@h2:9002, 1@h1:9001"))
                .containsExactly(new Peer(1, "h1", 9001), new Peer(2, "h2", 9002));
    }

    @Test
    void shouldNameTheEntryThatIsMalformed() {
        assertThatThrownBy(() -> Peer.parseList("1@h1:9001,two@h2:9002")).hasMessageContaining("'two@h2:9002'");
        assertThatThrownBy(() -> Peer.parseList("1@h1:9001,h2:9002")).hasMessageContaining("'h2:9002'");
        assertThatThrownBy(() -> Peer.parseList("1@h1:9001,1@h2:9002")).hasMessageContaining("node id 1 twice");
    }

    @Test
    void shouldDescribeEveryDifferenceBetweenTwoLists() {
        List<Peer> cluster = Peer.parseList("1@h:1,2@h:2,3@h:3");

        assertThat(Peer.differences(Peer.parseList("1@h:1,2@h:2,3@h:3"), cluster))
                .isEmpty();
        assertThat(Peer.differences(Peer.parseList("1@h:1,2@h:9,3@h:3,4@h:4"), cluster))
                .isEqualTo("this worker has 2@h:9 where the cluster has 2@h:2;"
                        + " this worker has 4@h:4 which the cluster does not have");
        assertThat(Peer.differences(Peer.parseList("1@h:1,2@h:2"), cluster))
                .isEqualTo("the cluster has 3@h:3 which this worker does not have");
    }
}
