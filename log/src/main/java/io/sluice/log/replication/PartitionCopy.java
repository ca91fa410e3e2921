package io.sluice.log.replication;

import io.sluice.log.FetchResult;
import io.sluice.log.OffsetOutOfRangeException;
import io.sluice.log.PartitionLog;
import io.sluice.log.TopicPartition;
import io.sluice.log.format.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Brings a replica that fell behind the leader's oldest Raft entry back in step: it asks the leader's
 * state machine directly (a stale read: see {@link ReplicationClient#snapshotPoint}) for its latest
 * snapshot (Raft term and index, partition log end, fencing state), copies the
 * committed batches it lacks from the leader's partition log, and installs that point as its own
 * snapshot. Ratis then sends the entries after it as usual. Everything copied is committed (it is
 * below the leader's snapshot), so the local log stays a prefix of the replicated one throughout.
 *
 * <p>Runs on a thread of its own, once per notification from the leader; blocking. A crash part-way
 * leaves copied batches the replica's journal does not record: they are dropped at the next start and
 * copied again.
 */
final class PartitionCopy {

    private static final int FETCH_BYTES = 1 << 20;
    private static final long RETRY_MILLIS = 100;
    private static final long GIVE_UP_MILLIS = 30_000;

    private final PartitionStateMachine replica;
    private final ReplicationClient client;

    PartitionCopy(PartitionStateMachine replica, ReplicationClient client) {
        this.replica = replica;
        this.client = client;
    }

    /** Copies from {@code leader}'s replica; returns the Raft term and index this replica now stands at. */
    TermIndex run(RaftGroup group, RaftPeerId leader) throws IOException, InterruptedException {
        PartitionMessages.SnapshotPoint point = client.snapshotPoint(group, leader);
        PartitionLog local = replica.bindForCopy(point.partition());
        TopicPartition tp = local.topicPartition();
        long next = local.logEndOffset();
        if (next > point.endOffset()) {
            throw new IOException(tp + ": the local log ends at " + next + ", past the leader's snapshot end "
                    + point.endOffset() + "; this replica cannot be behind that snapshot");
        }
        if (next < point.logStartOffset()) {
            throw new IOException(tp + ": the local log ends at " + next + " but the leader's log starts at "
                    + point.logStartOffset() + " (retention removed older records): remove this node's Raft storage"
                    + " of the group and its partition folder to resynchronise it");
        }
        long deadline = System.currentTimeMillis() + GIVE_UP_MILLIS;
        while (next < point.endOffset()) {
            List<ByteBuffer> batches = List.of();
            try {
                batches = upTo(tp, client.fetchFrom(tp, group, leader, next, FETCH_BYTES), next, point.endOffset());
            } catch (OffsetOutOfRangeException e) {
                // not applied that far there yet: ask again
            }
            if (batches.isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(tp + ": the leader returned nothing at offset " + next + " for "
                            + GIVE_UP_MILLIS + " ms while copying up to " + point.endOffset());
                }
                Thread.sleep(RETRY_MILLIS);
                continue;
            }
            next = replica.appendCopied(next, batches);
            deadline = System.currentTimeMillis() + GIVE_UP_MILLIS;
        }
        replica.installCopy(point);
        return TermIndex.valueOf(point.term(), point.index());
    }

    /** The fetched batches from {@code from} (a batch boundary) up to {@code end}, as copies. */
    private static List<ByteBuffer> upTo(TopicPartition tp, FetchResult fetched, long from, long end)
            throws IOException {
        List<ByteBuffer> out = new ArrayList<>();
        long expected = from;
        for (RecordBatch batch : fetched.batchList()) {
            if (batch.nextOffset() <= expected) {
                continue;
            }
            if (batch.baseOffset() != expected || batch.nextOffset() > end) {
                throw new IOException(tp + ": the leader's batch at offsets " + batch.baseOffset() + ".."
                        + batch.lastOffset() + " does not continue the local log at " + expected + " within "
                        + end);
            }
            ByteBuffer b = batch.buffer();
            out.add(ByteBuffer.allocate(b.remaining()).put(b).flip());
            expected = batch.nextOffset();
            if (expected == end) {
                break;
            }
        }
        return out;
    }
}
