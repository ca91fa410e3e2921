package io.sluice.log.segment;

import io.sluice.log.CorruptRecordException;
import io.sluice.log.format.RecordBatch;
import io.sluice.log.format.SegmentHeader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One segment file of a partition, with its offset and time indexes.
 *
 * <p>Threading: {@link #append} and {@link #truncateTo} are called by one thread at a time (the
 * partition's append lock); reads use positional I/O and may run concurrently with appends, seeing
 * only bytes below {@link #size()}, which is published after each write.
 */
public final class Segment implements Closeable {

    private volatile Path file;
    private final long baseOffset;
    private final long createdMs;
    private volatile FileChannel channel;
    private volatile boolean closed;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp;
    private long offsetLimit = Long.MAX_VALUE;
    private int bytesSinceIndexEntry;
    private boolean indexesRebuilt;

    private Segment(
            Path file,
            long baseOffset,
            long createdMs,
            FileChannel channel,
            OffsetIndex offsetIndex,
            TimeIndex timeIndex,
            int indexIntervalBytes) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.createdMs = createdMs;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.nextOffset = baseOffset;
        this.maxTimestamp = Long.MIN_VALUE;
        this.size = SegmentFile.HEADER_END;
    }

    /** Creates a new empty segment file (any file of that name is replaced). */
    public static Segment create(Path file, long baseOffset, long nowMs, int indexIntervalBytes) throws IOException {
        Path dir = file.getParent();
        FileChannel ch = FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ch.write(new SegmentHeader(baseOffset, nowMs).encode(), 0);
        Files.deleteIfExists(indexFile(dir, file, SegmentFile.INDEX));
        Files.deleteIfExists(indexFile(dir, file, SegmentFile.TIME_INDEX));
        return new Segment(
                file,
                baseOffset,
                nowMs,
                ch,
                new OffsetIndex(indexFile(dir, file, SegmentFile.INDEX), baseOffset),
                new TimeIndex(indexFile(dir, file, SegmentFile.TIME_INDEX), baseOffset),
                indexIntervalBytes);
    }

    /**
     * Opens an existing segment. With {@code fullScan} every batch is read and CRC-checked and the
     * indexes are rebuilt; otherwise valid index files are trusted and only the tail after the last
     * index entry is checked. Damage is reported in the returned {@link Opened#scan()}, never thrown,
     * except for a damaged segment header ({@link CorruptRecordException}).
     */
    public static Opened open(Path file, long baseOffset, boolean fullScan, int indexIntervalBytes) throws IOException {
        return open(file, baseOffset, Long.MAX_VALUE, fullScan, indexIntervalBytes);
    }

    /**
     * As {@link #open(Path, long, boolean, int)} for a segment followed by one starting at {@code
     * offsetLimit}: a scanned batch reaching past it is reported as damage.
     */
    public static Opened open(Path file, long baseOffset, long offsetLimit, boolean fullScan, int indexIntervalBytes)
            throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer headerBytes = ByteBuffer.allocate(SegmentHeader.SIZE);
            ch.read(headerBytes, 0);
            headerBytes.flip();
            SegmentHeader header = SegmentHeader.decode(headerBytes, file.toString());
            if (header.baseOffset() != baseOffset) {
                throw new CorruptRecordException(
                        file + ": header base offset " + header.baseOffset() + " does not match the file name");
            }
            Path dir = file.getParent();
            int fileSize = (int) Math.min(ch.size(), Integer.MAX_VALUE);
            Path indexPath = indexFile(dir, file, SegmentFile.INDEX);
            Path timePath = indexFile(dir, file, SegmentFile.TIME_INDEX);
            OffsetIndex offsets = fullScan ? null : OffsetIndex.load(indexPath, baseOffset, fileSize);
            TimeIndex times = offsets == null ? null : TimeIndex.load(timePath, baseOffset, Long.MAX_VALUE);
            boolean rebuild = offsets == null || times == null;
            if (rebuild) {
                offsets = new OffsetIndex(indexPath, baseOffset);
                times = new TimeIndex(timePath, baseOffset);
            }
            Segment segment = new Segment(file, baseOffset, header.createdMs(), ch, offsets, times, indexIntervalBytes);
            segment.offsetLimit = offsetLimit;
            ScanResult scan = rebuild ? segment.rebuild() : segment.checkTail();
            return new Opened(segment, scan, rebuild || segment.indexesRebuilt);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A segment just opened, with what its scan found. */
    public record Opened(Segment segment, ScanResult scan, boolean indexesRebuilt) {}

    private ScanResult rebuild() throws IOException {
        ScanResult scan =
                BatchScanner.scan(channel, SegmentFile.HEADER_END, baseOffset, offsetLimit, true, this::indexBatch);
        finishScan(scan);
        return scan;
    }

    /** Checks the batches after the last offset-index entry; falls back to a rebuild if the index lies. */
    private ScanResult checkTail() throws IOException {
        int from = offsetIndex.floorPosition(Long.MAX_VALUE);
        long expected = baseOffset;
        if (from > SegmentFile.HEADER_END) {
            ByteBuffer head = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
            channel.read(head, from);
            head.flip();
            if (head.remaining() < RecordBatch.HEADER_SIZE) {
                return rebuildAfterBadIndex();
            }
            expected = head.getLong(RecordBatch.BASE_OFFSET_OFFSET);
        }
        ScanResult scan = BatchScanner.scan(channel, from, expected, offsetLimit, true, (p, b) -> {});
        if (scan.batches() == 0 && from > SegmentFile.HEADER_END) {
            return rebuildAfterBadIndex();
        }
        maxTimestamp = timeIndex.maxTimestamp();
        finishScan(scan);
        bytesSinceIndexEntry = scan.validEnd() - from;
        return scan;
    }

    private ScanResult rebuildAfterBadIndex() throws IOException {
        offsetIndex.truncateToPosition(0);
        timeIndex.truncateToOffset(Long.MIN_VALUE);
        maxTimestamp = Long.MIN_VALUE;
        bytesSinceIndexEntry = 0;
        indexesRebuilt = true;
        return rebuild();
    }

    private void finishScan(ScanResult scan) {
        size = scan.validEnd();
        nextOffset = Math.max(scan.nextOffset(), baseOffset);
        maxTimestamp = Math.max(maxTimestamp, scan.maxTimestamp());
    }

    private void indexBatch(int position, RecordBatch batch) {
        if (bytesSinceIndexEntry >= indexIntervalBytes) {
            offsetIndex.append(batch.baseOffset(), position);
            timeIndex.maybeAppend(Math.max(maxTimestamp, batch.maxTimestamp()), batch.baseOffset());
            bytesSinceIndexEntry = 0;
        }
        maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
        bytesSinceIndexEntry += batch.sizeInBytes();
    }

    /** Appends one encoded batch at the end of the file. Caller holds the partition's append lock. */
    public void append(ByteBuffer batchBytes) throws IOException {
        RecordBatch batch = RecordBatch.wrap(batchBytes);
        int position = size;
        indexBatch(position, batch);
        ByteBuffer src = batchBytes.duplicate();
        long pos = position;
        while (src.hasRemaining()) {
            final long at = pos;
            pos += io(ch -> ch.write(src, at));
        }
        nextOffset = batch.nextOffset();
        size = (int) pos;
    }

    /**
     * Reads bytes from {@code position}: at least the whole first batch, otherwise up to {@code maxBytes},
     * never past {@link #size()}. Returns an empty buffer at the end.
     */
    public ByteBuffer read(int position, int maxBytes) throws IOException {
        int end = size;
        if (position >= end) {
            return ByteBuffer.allocate(0);
        }
        int first = batchSizeAt(position);
        if (first > end - position) {
            throw new CorruptRecordException(file + ": batch of " + first + " bytes at position " + position
                    + " runs past the end of the segment (" + end + " bytes)");
        }
        int length = Math.min(end - position, Math.max(maxBytes, first));
        ByteBuffer buf = ByteBuffer.allocate(length);
        long pos = position;
        while (buf.hasRemaining()) {
            final long at = pos;
            int n = io(ch -> ch.read(buf, at));
            if (n < 0) {
                throw new CorruptRecordException(file + ": unexpected end of file at position " + pos);
            }
            pos += n;
        }
        buf.flip();
        return buf;
    }

    private int batchSizeAt(int position) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
        io(ch -> ch.read(head, position));
        head.flip();
        if (head.remaining() < RecordBatch.LOG_OVERHEAD) {
            throw new CorruptRecordException(file + ": batch header cut short at position " + position);
        }
        int length = head.getInt(RecordBatch.LENGTH_OFFSET);
        if (length < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD || length > RecordBatch.MAX_BATCH_SIZE) {
            throw new CorruptRecordException(file + ": bad batch length " + length + " at position " + position);
        }
        return length + RecordBatch.LOG_OVERHEAD;
    }

    /**
     * File position of the first batch whose last offset is at least {@code offset}, or -1 when every
     * batch of this segment ends before it.
     */
    public int positionOf(long offset) throws IOException {
        int position = offsetIndex.floorPosition(offset);
        boolean trustingIndex = position > SegmentFile.HEADER_END;
        long previousNext = baseOffset; // the base offset is outside the CRC: check that offsets only grow
        int end = size;
        ByteBuffer head = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        while (position < end) {
            head.clear();
            final int at = position;
            io(ch -> ch.read(head, at));
            head.flip();
            if (head.remaining() < RecordBatch.HEADER_SIZE) {
                throw new CorruptRecordException(file + ": batch header cut short at position " + position);
            }
            long base = head.getLong(RecordBatch.BASE_OFFSET_OFFSET);
            if (trustingIndex && base > offset) {
                // the index entry points past the offset asked for: it is damaged; walk from the start
                trustingIndex = false;
                position = SegmentFile.HEADER_END;
                continue;
            }
            trustingIndex = false;
            if (base < previousNext) {
                throw new CorruptRecordException(file + ": batch at position " + position + " starts at offset " + base
                        + ", before the end of the batch ahead of it (" + previousNext + ")");
            }
            long lastOffset = base + RecordBatch.lastOffsetDelta(head);
            if (lastOffset >= offset) {
                return position;
            }
            previousNext = lastOffset + 1;
            int length = head.getInt(RecordBatch.LENGTH_OFFSET);
            if (length < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD || length > RecordBatch.MAX_BATCH_SIZE) {
                throw new CorruptRecordException(file + ": bad batch length " + length + " at position " + position);
            }
            position += length + RecordBatch.LOG_OVERHEAD;
        }
        return -1;
    }

    /** The base offset stored in the batch header at {@code position}, which must be below {@link #size()}. */
    public long baseOffsetAt(int position) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(8);
        io(ch -> ch.read(head, position));
        if (head.hasRemaining()) {
            throw new CorruptRecordException(file + ": batch header cut short at position " + position);
        }
        return head.getLong(0);
    }

    /**
     * Checks every batch of this (closed) segment and, when one is damaged, hides it and everything
     * after it from readers without touching the file: {@link #size()} and {@link #nextOffset()} then
     * end before it. Returns what the check found. Caller holds the partition's append lock.
     */
    public ScanResult hideDamagedTail(long nextSegmentBase) throws IOException {
        ScanResult scan = io(
                ch -> BatchScanner.scan(ch, SegmentFile.HEADER_END, baseOffset, nextSegmentBase, true, (p, b) -> {}));
        if (!scan.clean()) {
            size = scan.validEnd();
            nextOffset = Math.max(scan.nextOffset(), baseOffset);
        }
        return scan;
    }

    /** Deletes a segment file that could not be opened, and its index files. */
    public static void deleteFiles(Path segmentFile) throws IOException {
        Path dir = segmentFile.getParent();
        Files.deleteIfExists(segmentFile);
        Files.deleteIfExists(indexFile(dir, segmentFile, SegmentFile.INDEX));
        Files.deleteIfExists(indexFile(dir, segmentFile, SegmentFile.TIME_INDEX));
    }

    /** Cuts the file at {@code position} (a batch boundary) and forgets index entries past it. */
    public void truncateToPosition(int position, long newNextOffset) throws IOException {
        io(ch -> ch.truncate(position));
        offsetIndex.truncateToPosition(position);
        timeIndex.truncateToOffset(newNextOffset);
        size = position;
        nextOffset = newNextOffset;
        bytesSinceIndexEntry = indexIntervalBytes;
    }

    private interface Io<T> {
        T run(FileChannel ch) throws IOException;
    }

    /**
     * Runs channel I/O so that an interrupted caller cannot break the segment for everyone: a
     * {@link FileChannel} closes itself when a thread blocked in it is interrupted, so the interrupt
     * flag is set aside during the call (and restored after), and a channel closed by an interrupt
     * that raced with the call is reopened and the call retried. Appends write at a fixed position,
     * so a retried write is idempotent.
     */
    private <T> T io(Io<T> op) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 0; ; attempt++) {
                FileChannel ch = channel;
                try {
                    return op.run(ch);
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted();
                    if (closed || attempt >= 2) {
                        throw e;
                    }
                    reopen(ch);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void reopen(FileChannel broken) throws IOException {
        if (channel == broken && !closed) {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    /** Forces file contents and indexes to disk. */
    public void flush() throws IOException {
        io(ch -> {
            ch.force(false);
            offsetIndex.flush();
            timeIndex.flush();
            return null;
        });
    }

    /** Writes the indexes only (cheap; they are rebuilt from the segment if lost). */
    public void flushIndexes() {
        try {
            io(ch -> {
                offsetIndex.flush();
                timeIndex.flush();
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flushIndexes();
        } finally {
            closed = true;
            channel.close();
        }
    }

    /**
     * Renames the segment file and its index files by appending {@code suffix} (used to stage a
     * compaction swap or a deletion). The open channel keeps working on the renamed file.
     */
    public void renameWithSuffix(String suffix) throws IOException {
        Path dir = file.getParent();
        for (Path p :
                List.of(indexFile(dir, file, SegmentFile.INDEX), indexFile(dir, file, SegmentFile.TIME_INDEX), file)) {
            if (Files.exists(p)) {
                Files.move(
                        p,
                        p.resolveSibling(p.getFileName() + suffix),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        file = file.resolveSibling(file.getFileName() + suffix);
    }

    /** Closes the channel and deletes the segment and its index files. */
    public void closeAndDelete() throws IOException {
        closed = true;
        channel.close();
        Path dir = file.getParent();
        Files.deleteIfExists(file);
        Files.deleteIfExists(indexFile(dir, file, SegmentFile.INDEX));
        Files.deleteIfExists(indexFile(dir, file, SegmentFile.TIME_INDEX));
    }

    private static Path indexFile(Path dir, Path segmentFile, String suffix) {
        String name = segmentFile.getFileName().toString();
        return dir.resolve(name.substring(0, name.indexOf('.'))
                + suffix
                + name.substring(name.indexOf(SegmentFile.LOG) + SegmentFile.LOG.length()));
    }

    public Path file() {
        return file;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public long createdMs() {
        return createdMs;
    }

    /** Bytes in the file that readers may see, header included. */
    public int size() {
        return size;
    }

    public long nextOffset() {
        return nextOffset;
    }

    public long maxTimestamp() {
        return maxTimestamp;
    }

    public boolean isEmpty() {
        return size <= SegmentFile.HEADER_END;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    @Override
    public String toString() {
        return "Segment[" + file.getFileName() + ", size=" + size + ", next=" + nextOffset + "]";
    }
}
