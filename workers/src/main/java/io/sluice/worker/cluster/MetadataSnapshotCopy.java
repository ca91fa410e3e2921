package io.sluice.worker.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Moves the metadata leader's latest snapshot file to a worker that fell behind the leader's Raft
 * log (it was down while the others took snapshots and purged their logs), in parts small enough
 * for one Raft message. The leader answers {@link Query#snapshot} queries with {@link #part}; the
 * worker downloads with {@link #download} and installs the file as its own latest snapshot, which
 * Ratis then loads through the state machine's {@code reinitialize}.
 *
 * <p>Reply of a part: term int64, index int64, file size int64, then the bytes from the position
 * asked. When the leader's latest snapshot changes during a download, the download starts over.
 * Blocking; one download at a time per state machine.
 */
final class MetadataSnapshotCopy {

    static final int PART_BYTES = 1 << 20;
    private static final int MAX_RESTARTS = 10;

    private MetadataSnapshotCopy() {}

    /** The part of {@code snapshot} from {@code position}, as a reply to a {@code snapshot} query. */
    static Message part(SingleFileSnapshotInfo snapshot, long position) throws IOException {
        if (snapshot == null) {
            throw new IOException("this metadata leader has no snapshot yet");
        }
        Path file = snapshot.getFile().getPath();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (position < 0 || position > size) {
                throw new IOException("position " + position + " is outside metadata snapshot " + file.getFileName()
                        + " of " + size + " bytes");
            }
            ByteBuffer b = ByteBuffer.allocate(24 + (int) Math.min(PART_BYTES, size - position));
            b.putLong(snapshot.getTerm()).putLong(snapshot.getIndex()).putLong(size);
            while (b.hasRemaining() && ch.read(b, position + b.position() - 24) > 0) {
                // read until the part is full
            }
            b.flip();
            return Message.valueOf(UnsafeByteOperations.unsafeWrap(b));
        }
    }

    /**
     * Downloads the leader's latest snapshot into {@code storage} and returns the term and index it
     * stands for, once the file is complete, forced and registered as the latest snapshot.
     */
    static TermIndex download(RaftClient client, RaftPeerId leader, SimpleStateMachineStorage storage)
            throws IOException {
        for (int attempt = 0; attempt < MAX_RESTARTS; attempt++) {
            Path tmp = storage.getSnapshotFile(0, 0).toPath().resolveSibling("snapshot.download.tmp");
            TermIndex at = null;
            long size = -1;
            try (FileChannel out = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                long position = 0;
                while (size < 0 || position < size) {
                    ByteBuffer part = ask(client, leader, position);
                    TermIndex partAt = TermIndex.valueOf(part.getLong(), part.getLong());
                    long partSize = part.getLong();
                    if (at != null && (!at.equals(partAt) || partSize != size)) {
                        at = null; // the leader took a newer snapshot meanwhile
                        break;
                    }
                    at = partAt;
                    size = partSize;
                    while (part.hasRemaining()) {
                        position += out.write(part, position);
                    }
                }
                if (at == null) {
                    continue;
                }
                out.force(true);
            }
            Path file = storage.getSnapshotFile(at.getTerm(), at.getIndex()).toPath();
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file.toFile());
            storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, md5), at));
            return at;
        }
        throw new IOException("the metadata leader's snapshot changed during each of " + MAX_RESTARTS + " downloads");
    }

    /**
     * A stale read of the leader's state machine, not a read through the leader: a leader whose other
     * followers are down is not ready to serve reads until this worker catches up.
     */
    private static ByteBuffer ask(RaftClient client, RaftPeerId leader, long position) throws IOException {
        RaftClientReply reply = client.io()
                .sendStaleRead(
                        Message.valueOf(
                                ByteString.copyFrom(Query.snapshot(position).encode())),
                        0,
                        leader);
        if (!reply.isSuccess()) {
            throw new IOException("the metadata leader did not send its snapshot: " + reply.getException());
        }
        return reply.getMessage().getContent().asReadOnlyByteBuffer();
    }
}
