package io.sluice.log.replication;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of the replication cluster tests: starts a {@link ReplicaNode}, prints
 * {@code READY}, and closes it when its standard input says {@code STOP} or ends. Meant to be killed
 * with SIGKILL at any moment too.
 *
 * <p>Arguments: node id, peer list ({@code 1@host:port,...}), data directory, and optionally
 * {@code true} to purge the Raft log at every snapshot, then optionally {@code true} for the production
 * sizes of Raft entries and segments.
 */
public final class ReplicaNodeProcess {

    private ReplicaNodeProcess() {}

    public static void main(String[] args) throws Exception {
        ReplicaNodeConfig config = ReplicaNodeConfig.of(args[0], ClusterPeers.parse(args[1]), Path.of(args[2]))
                .withSettings((args.length > 4 && Boolean.parseBoolean(args[4])
                                ? ReplicaCluster.testSettingsWithProductionEntries()
                                : ReplicaCluster.testSettings())
                        .withPurgeUpToSnapshot(args.length > 3 && Boolean.parseBoolean(args[3])));
        try (ReplicaNode node = ReplicaNode.start(config)) {
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("STOP")) {
                // wait for the parent to stop us
            }
        }
        System.out.println("STOPPED");
        System.out.flush();
        System.exit(0);
    }
}
