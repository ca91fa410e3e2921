package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CrashProbeTest {

    private final AtomicLong clock = new AtomicLong(1_000);

    @Test
    void shouldFindAWorkerGoneWhenNothingListensOnItsPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (CrashProbe probe = new CrashProbe(List.of(new Peer(2, "127.0.0.1", port)), clock::get)) {
            probe.request(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.goneSince(2, 1_000));
            // a heartbeat heard after the probe started means it came back
            assertThat(probe.goneSince(2, 1_001)).isFalse();
        }
    }

    @Test
    void shouldNotFindAWorkerGoneWhileItsPortAcceptsConnections() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                CrashProbe probe = new CrashProbe(List.of(new Peer(2, "127.0.0.1", s.getLocalPort())), clock::get)) {
            for (int i = 0; i < 5; i++) {
                probe.request(2);
                Thread.sleep(50);
            }
            // the accepted connections prove the process lives: let the probes finish, then ask
            Thread.sleep(500);
            assertThat(probe.goneSince(2, 0)).isFalse();
        }
    }

    @Test
    void shouldIgnoreNodesOutsideThePeerList() {
        try (CrashProbe probe = new CrashProbe(List.of(), clock::get)) {
            probe.request(9);
            assertThat(probe.goneSince(9, 0)).isFalse();
        }
    }
}
