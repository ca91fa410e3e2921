package io.sluice.log.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.log.AppendResult;
import io.sluice.log.FetchResult;
import io.sluice.log.Record;
import io.sluice.log.TopicConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node in this JVM: local reads of its own replica, and a caller-registered group beside partitions. */
class ReplicaNodeIT {

    @TempDir
    Path dir;

    /** A state machine of the caller's own, as the workers' metadata group would be. */
    static final class Counter extends BaseStateMachine {
        final AtomicLong applied = new AtomicLong();

        @Override
        public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
            updateLastAppliedTermIndex(
                    trx.getLogEntry().getTerm(), trx.getLogEntry().getIndex());
            return CompletableFuture.completedFuture(Message.valueOf(Long.toString(applied.incrementAndGet())));
        }
    }

    @Test
    void shouldReadItsOwnReplicaLocallyAndHostACallerRegisteredGroup() throws Exception {
        ClusterPeers peers = new ClusterPeers(Map.of("1", "127.0.0.1:" + freePort()));
        RaftGroupId metadataId = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("test-metadata".getBytes()));
        Counter counter = new Counter();
        ReplicaNodeConfig config = ReplicaNodeConfig.of("1", peers, dir).withSettings(ReplicaCluster.testSettings());
        try (ReplicaNode node = ReplicaNode.builder(config)
                .stateMachine(metadataId, () -> counter)
                .start()) {
            node.ensurePartition("local", 0, List.of("1"), TopicConfig.DEFAULTS);
            AppendResult first = node.append("local", 0, List.of(record("a"), record("b")), 3, 1);
            assertThat(first.baseOffset()).isZero();
            assertThat(first.lastOffset()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> node.localReplica("local", 0)
                            .map(p -> p.highWatermark() == 2)
                            .orElse(false));

            FetchResult local = node.fetch("local", 0, 1, 1 << 20);
            assertThat(local.records())
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("b");
            assertThat(node.fetch("local", 0, 2, 1 << 20, Duration.ofMillis(50)).isEmpty())
                    .as("nothing past the end, after a short wait")
                    .isTrue();
            assertThat(node.leader("local", 0)).contains("1");
            assertThat(node.status("local", 0).replicas())
                    .singleElement()
                    .satisfies(r -> assertThat(r.lag()).isZero());
            assertThat(node.log().partition("local", 0).logEndOffset()).isEqualTo(2);

            RaftGroup metadata = peers.group(metadataId, List.of("1"));
            node.client().ensureGroup(metadata);
            RaftClientReply reply = node.client().raftClient(metadata).io().send(Message.valueOf("tick"));
            assertThat(reply.getMessage().getContent().toStringUtf8()).isEqualTo("1");
            assertThat(counter.applied).hasValue(1);
        }
    }

    private static Record record(String value) {
        return Record.of(null, value.getBytes(StandardCharsets.UTF_8), 0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
