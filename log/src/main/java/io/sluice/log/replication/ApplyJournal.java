package io.sluice.log.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A partition replica's apply journal: one fixed-size entry per Raft entry whose batch was written
 * to the local partition log, saying the log end after it. With it a restarted replica knows exactly
 * which Raft entries its partition log already holds, so replaying the Raft log neither duplicates
 * nor skips a batch. Entries are written (not forced) after each batch; the snapshot forces the
 * partition log and then empties the journal, since the snapshot records the log end itself.
 *
 * <p>Entry: Raft index int64, log end offset int64, CRC32C of those 16 bytes int32. A torn or damaged
 * tail is dropped when the journal is opened. Not thread-safe: used by the apply thread only.
 */
final class ApplyJournal implements AutoCloseable {

    record Entry(long index, long endOffset) {}

    private static final int ENTRY_SIZE = 20;

    private final FileChannel channel;
    private final List<Entry> loaded;
    private final ByteBuffer scratch = ByteBuffer.allocate(ENTRY_SIZE);

    private ApplyJournal(FileChannel channel, List<Entry> loaded) {
        this.channel = channel;
        this.loaded = loaded;
    }

    static ApplyJournal open(Path file) throws IOException {
        FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        List<Entry> entries = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), Integer.MAX_VALUE - 8));
        while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
            // read the whole file
        }
        buf.flip();
        long valid = 0;
        long lastIndex = Long.MIN_VALUE;
        while (buf.remaining() >= ENTRY_SIZE) {
            long index = buf.getLong();
            long end = buf.getLong();
            int crc = buf.getInt();
            if (crc != checksum(index, end) || index <= lastIndex) {
                break;
            }
            entries.add(new Entry(index, end));
            lastIndex = index;
            valid += ENTRY_SIZE;
        }
        ch.truncate(valid);
        ch.position(valid);
        return new ApplyJournal(ch, entries);
    }

    /** The entries found when the journal was opened, in index order. */
    List<Entry> loaded() {
        return loaded;
    }

    /** Drops every entry after Raft index {@code index}. */
    void truncateAfter(long index) throws IOException {
        int keep = 0;
        while (keep < loaded.size() && loaded.get(keep).index() <= index) {
            keep++;
        }
        loaded.subList(keep, loaded.size()).clear();
        channel.truncate((long) keep * ENTRY_SIZE);
        channel.position((long) keep * ENTRY_SIZE);
    }

    void append(long index, long endOffset) throws IOException {
        scratch.clear();
        scratch.putLong(index)
                .putLong(endOffset)
                .putInt(checksum(index, endOffset))
                .flip();
        while (scratch.hasRemaining()) {
            channel.write(scratch);
        }
    }

    /** Empties the journal (after a snapshot made its entries unnecessary). */
    void reset() throws IOException {
        loaded.clear();
        channel.truncate(0);
        channel.position(0);
        channel.force(true);
    }

    private static int checksum(long index, long end) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(16).putLong(index).putLong(end).flip());
        return (int) crc.getValue();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
