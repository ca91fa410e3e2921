package io.sluice.log.replication;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis settings of replication, the same on every node and client of a cluster.
 *
 * <p>Durability: with {@code syncBeforeAck} (the default) an append is acknowledged once a majority
 * of the partition's replicas has written its Raft log entry and forced it to disk (fsync), so it
 * survives any failure of a minority, power loss included. Without it, a replica counts an entry once
 * written to its operating system (fsync follows at once in the background): the append survives
 * any process crash ({@code kill -9}) of any number of nodes and the loss of a minority of machines,
 * but a simultaneous power loss of a majority can lose the last few milliseconds, as with Kafka's
 * {@code acks=all} without per-message fsync. The partition logs are written when entries are applied
 * and forced at each snapshot; after a crash they are completed from the Raft log.
 *
 * @param electionTimeoutMin a follower that hears no leader for a random time between min and max
 *     starts an election (Ratis' own defaults are 150-300 ms; these defaults leave room for GC pauses
 *     and busy machines)
 * @param electionTimeoutMax see {@code electionTimeoutMin}
 * @param requestTimeout how long one Raft RPC or client request attempt may take
 * @param operationTimeout how long a client keeps retrying (leader changes, nodes restarting) before
 *     an append or fetch fails
 * @param snapshotEveryEntries a replica takes a snapshot (forces its partition log, lets Ratis purge
 *     its log) after this many applied entries
 * @param maxEntryBytes largest Raft entry (a record batch plus up to 64 bytes of framing); appends
 *     larger than this are split into several entries, so it bounds the largest record
 *     ({@link #largestRecordBytes()}), not the size of an append. Sizes Ratis' write buffer, a direct
 *     buffer of about {@code 2 x maxEntryBytes} allocated per hosted replica, and RPC limits. Default
 *     8 MiB + 64 KiB: records up to 8 MiB, the default {@code max.message.bytes}
 * @param raftSegmentBytes size of a Raft log segment file, at least twice {@code maxEntryBytes}; up
 *     to two segments of recent entries stay on the heap per hosted replica that takes appends
 * @param syncBeforeAck whether a replica forces an entry to disk before it counts towards the majority
 * @param purgeUpToSnapshot whether every snapshot purges the Raft log up to it even when a replica
 *     still needs those entries (it then copies the partition from the leader); off by default, where
 *     the log is purged only up to what every replica the leader knows of has
 * @param tls mutual TLS for every connection between workers (servers and clients), or {@code null}
 *     for plain text
 */
public record ReplicationSettings(
        Duration electionTimeoutMin,
        Duration electionTimeoutMax,
        Duration requestTimeout,
        Duration operationTimeout,
        long snapshotEveryEntries,
        int maxEntryBytes,
        long raftSegmentBytes,
        boolean syncBeforeAck,
        boolean purgeUpToSnapshot,
        GrpcTlsConfig tls) {

    /**
     * Room kept in an entry beyond the largest record: LZ4 can expand incompressible data by 1/255
     * (33 KiB for 8 MiB), plus the batch and entry headers.
     */
    private static final int COMPRESSION_ROOM = 64 << 10;

    /** Records up to 8 MiB (the default {@code max.message.bytes}) plus room for compression and framing. */
    public static final int DEFAULT_MAX_ENTRY_BYTES = (8 << 20) + COMPRESSION_ROOM;

    public ReplicationSettings {
        if (electionTimeoutMin.compareTo(electionTimeoutMax) >= 0) {
            throw new IllegalArgumentException("electionTimeoutMin " + electionTimeoutMin
                    + " must be below electionTimeoutMax " + electionTimeoutMax);
        }
        if (raftSegmentBytes < 2L * maxEntryBytes) {
            throw new IllegalArgumentException(
                    "raftSegmentBytes " + raftSegmentBytes + " must be at least twice maxEntryBytes " + maxEntryBytes);
        }
    }

    /**
     * The largest record (encoded alone in an uncompressed batch, as {@code max.message.bytes} counts
     * it) one entry holds, whatever its compression: topics replicated with these settings must keep
     * their {@code max.message.bytes} within it.
     */
    public int largestRecordBytes() {
        return maxEntryBytes - Math.min(COMPRESSION_ROOM, maxEntryBytes / 16);
    }

    public static ReplicationSettings defaults() {
        return new ReplicationSettings(
                Duration.ofMillis(1000),
                Duration.ofMillis(2000),
                Duration.ofSeconds(3),
                Duration.ofSeconds(30),
                10_000,
                DEFAULT_MAX_ENTRY_BYTES,
                2L * DEFAULT_MAX_ENTRY_BYTES,
                true,
                false,
                null);
    }

    public ReplicationSettings withElectionTimeout(Duration min, Duration max) {
        return new ReplicationSettings(
                min,
                max,
                requestTimeout,
                operationTimeout,
                snapshotEveryEntries,
                maxEntryBytes,
                raftSegmentBytes,
                syncBeforeAck,
                purgeUpToSnapshot,
                tls);
    }

    public ReplicationSettings withOperationTimeout(Duration timeout) {
        return new ReplicationSettings(
                electionTimeoutMin,
                electionTimeoutMax,
                requestTimeout,
                timeout,
                snapshotEveryEntries,
                maxEntryBytes,
                raftSegmentBytes,
                syncBeforeAck,
                purgeUpToSnapshot,
                tls);
    }

    public ReplicationSettings withSnapshotEveryEntries(long entries) {
        return new ReplicationSettings(
                electionTimeoutMin,
                electionTimeoutMax,
                requestTimeout,
                operationTimeout,
                entries,
                maxEntryBytes,
                raftSegmentBytes,
                syncBeforeAck,
                purgeUpToSnapshot,
                tls);
    }

    public ReplicationSettings withEntryBytes(int maxEntry, long raftSegment) {
        return new ReplicationSettings(
                electionTimeoutMin,
                electionTimeoutMax,
                requestTimeout,
                operationTimeout,
                snapshotEveryEntries,
                maxEntry,
                raftSegment,
                syncBeforeAck,
                purgeUpToSnapshot,
                tls);
    }

    public ReplicationSettings withSyncBeforeAck(boolean sync) {
        return new ReplicationSettings(
                electionTimeoutMin,
                electionTimeoutMax,
                requestTimeout,
                operationTimeout,
                snapshotEveryEntries,
                maxEntryBytes,
                raftSegmentBytes,
                sync,
                purgeUpToSnapshot,
                tls);
    }

    public ReplicationSettings withPurgeUpToSnapshot(boolean purge) {
        return new ReplicationSettings(
                electionTimeoutMin,
                electionTimeoutMax,
                requestTimeout,
                operationTimeout,
                snapshotEveryEntries,
                maxEntryBytes,
                raftSegmentBytes,
                syncBeforeAck,
                purge,
                tls);
    }

    RaftProperties serverProperties(Path storageDir, String host, int port) {
        RaftProperties p = clientProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
        GrpcConfigKeys.Server.setHost(p, host);
        GrpcConfigKeys.Server.setPort(p, port);
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(electionTimeoutMin));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(electionTimeoutMax));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, millis(requestTimeout));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotEveryEntries);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        // By default a snapshot purges the Raft log only up to what every replica the leader knows has,
        // so a restarted replica normally catches up from the leader's log. Where a replica still
        // needs purged entries (the leader restarted meanwhile, a node purged while replaying), Ratis
        // notifies it (its own snapshot transfer is off: a snapshot here is not a copy of the records)
        // and it copies what it lacks from the leader's state machine: see PartitionCopy and the
        // metadata group's snapshot download. purgeUpToSnapshot purges at every snapshot regardless.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, purgeUpToSnapshot);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, snapshotEveryEntries));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, false);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(raftSegmentBytes));
        // Ratis keeps recent entries on the heap per hosted group (default: up to 6 segments): bound it
        // to two segments, so heap per replica is ~2 x raftSegmentBytes at most
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf(2 * raftSegmentBytes));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(raftSegmentBytes, 4L << 20)));
        // Ratis needs the appender's buffer to fit its write buffer, one per hosted group: memory is about
        // 2 x maxEntryBytes per replica
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(appenderBufferBytes() + (64 << 10)));
        // twice the largest entry: Ratis 3.3 cannot reopen a segment left open by a crash when it holds an
        // entry larger than half of this limit (the node then does not start)
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(appenderBufferBytes()));
        // Ratis' "unsafe flush" writes the entry to the file channel, counts it, then forces in the background
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, !syncBeforeAck);
        return p;
    }

    /** These settings with worker-to-worker traffic over (mutual) TLS; {@code null} for plain text. */
    public ReplicationSettings withTls(GrpcTlsConfig tls) {
        return new ReplicationSettings(
                electionTimeoutMin,
                electionTimeoutMax,
                requestTimeout,
                operationTimeout,
                snapshotEveryEntries,
                maxEntryBytes,
                raftSegmentBytes,
                syncBeforeAck,
                purgeUpToSnapshot,
                tls);
    }

    /** The Ratis parameters of every server and client built with these settings: the TLS config, if any. */
    public Parameters parameters() {
        Parameters parameters = new Parameters();
        if (tls != null) {
            GrpcConfigKeys.TLS.setConf(parameters, tls);
            GrpcConfigKeys.Server.setTlsConf(parameters, tls);
            GrpcConfigKeys.Client.setTlsConf(parameters, tls);
            GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
        }
        return parameters;
    }

    RaftProperties clientProperties() {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(requestTimeout));
        // Ratis requires 1 MiB more than the appender's buffer (see serverProperties)
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(appenderBufferBytes() + (1 << 20)));
        return p;
    }

    private long appenderBufferBytes() {
        return 2L * maxEntryBytes + (64 << 10);
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
