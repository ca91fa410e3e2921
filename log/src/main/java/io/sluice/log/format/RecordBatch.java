package io.sluice.log.format;

import io.sluice.log.Compression;
import io.sluice.log.CorruptRecordException;
import io.sluice.log.StoredRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A view over one encoded record batch, the unit of appending, replication and fetching.
 *
 * <p>Layout (big-endian; this is the on-disk and wire format, pinned by golden-file tests):
 *
 * <pre>
 *  0 baseOffset      int64   offset of the first entry (restamped on append, outside the CRC)
 *  8 batchLength     int32   bytes after this field
 * 12 magic           int8    format version, 1
 * 13 crc             uint32  CRC32C of every byte from 'attributes' to the end
 * 17 attributes      int16   bits 0-2: compression id
 * 19 lastOffsetDelta int32   last entry's offset minus baseOffset
 * 23 baseTimestamp   int64
 * 31 maxTimestamp    int64
 * 39 deleteHorizon   int64   after this time compaction may drop tombstones; -1 = not set
 * 47 epoch           int32   writer epoch for fencing; -1 = none
 * 51 recordCount     int32
 * 55 entries         (compressed: int32 uncompressed size, then the compressed entries)
 * </pre>
 *
 * Each entry: varint length, int8 attributes, varlong timestamp delta, varint offset delta, varint key
 * length (-1 = null) and key, varint value length (-1 = null, a tombstone) and value, varint header
 * count, then per header varint key length, UTF-8 key, varint value length and value.
 *
 * <p>Instances are not thread-safe; each wraps its own buffer slice.
 */
public final class RecordBatch {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int LOG_OVERHEAD = 12;
    static final int MAGIC_OFFSET = 12;
    static final int CRC_OFFSET = 13;
    static final int ATTRIBUTES_OFFSET = 17;
    static final int LAST_OFFSET_DELTA_OFFSET = 19;
    static final int BASE_TIMESTAMP_OFFSET = 23;
    static final int MAX_TIMESTAMP_OFFSET = 31;
    static final int DELETE_HORIZON_OFFSET = 39;
    static final int EPOCH_OFFSET = 47;
    static final int RECORD_COUNT_OFFSET = 51;
    public static final int HEADER_SIZE = 55;
    public static final byte MAGIC = 1;
    /** Upper bound on one batch, so a damaged length field is recognised instead of allocated. */
    public static final int MAX_BATCH_SIZE = 64 * 1024 * 1024;
    /**
     * Upper bound of {@code max.message.bytes}: a record this large still fits a batch after the worst
     * expansion of compressing incompressible data.
     */
    public static final int MAX_RECORD_SIZE = 60 * 1024 * 1024;

    private final ByteBuffer buffer;

    private RecordBatch(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** Wraps the batch starting at {@code buffer}'s position; the buffer must hold the whole batch. */
    public static RecordBatch wrap(ByteBuffer buffer) {
        ByteBuffer slice = buffer.slice();
        int size = slice.getInt(LENGTH_OFFSET) + LOG_OVERHEAD;
        slice.limit(size);
        return new RecordBatch(slice);
    }

    /**
     * Size in bytes of the batch starting at {@code position} of {@code buffer}, or -1 when the
     * buffer holds less than the whole batch. Throws when the length field cannot be a batch.
     */
    public static int sizeAt(ByteBuffer buffer, int position) {
        if (buffer.limit() - position < LOG_OVERHEAD) {
            return -1;
        }
        int length = buffer.getInt(position + LENGTH_OFFSET);
        if (length < HEADER_SIZE - LOG_OVERHEAD || length > MAX_BATCH_SIZE) {
            throw new CorruptRecordException("batch length " + length + " out of range");
        }
        int size = length + LOG_OVERHEAD;
        return buffer.limit() - position < size ? -1 : size;
    }

    /** The last-offset delta from a buffer holding at least a batch header at position 0. */
    public static int lastOffsetDelta(ByteBuffer header) {
        return header.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    public int sizeInBytes() {
        return buffer.limit();
    }

    public long baseOffset() {
        return buffer.getLong(BASE_OFFSET_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + buffer.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    /** The offset after this batch's last entry. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public byte magic() {
        return buffer.get(MAGIC_OFFSET);
    }

    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(CRC_OFFSET));
    }

    public Compression compression() {
        return Compression.fromId(buffer.getShort(ATTRIBUTES_OFFSET) & 0x7);
    }

    public long baseTimestamp() {
        return buffer.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(MAX_TIMESTAMP_OFFSET);
    }

    public long deleteHorizon() {
        return buffer.getLong(DELETE_HORIZON_OFFSET);
    }

    public int epoch() {
        return buffer.getInt(EPOCH_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(RECORD_COUNT_OFFSET);
    }

    /** Moves the batch to a new base offset; the CRC does not cover it, so nothing else changes. */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buffer.duplicate();
        covered.position(ATTRIBUTES_OFFSET);
        crc.update(covered);
        return crc.getValue();
    }

    /** True when magic, CRC and header fields are consistent. */
    public boolean isValid() {
        return invalidReason() == null;
    }

    /** Why this batch is invalid, or {@code null} when it is valid. */
    public String invalidReason() {
        if (magic() != MAGIC) {
            return "unknown magic " + magic();
        }
        long stored = checksum();
        long computed = computeChecksum();
        if (stored != computed) {
            return "CRC mismatch (stored " + Long.toHexString(stored) + ", computed " + Long.toHexString(computed)
                    + ")";
        }
        if (recordCount() < 0 || buffer.getInt(LAST_OFFSET_DELTA_OFFSET) < 0) {
            return "negative record count or offset delta";
        }
        return null;
    }

    public void ensureValid(String where) {
        String reason = invalidReason();
        if (reason != null) {
            throw new CorruptRecordException(
                    "corrupt batch at " + where + " (base offset " + baseOffset() + "): " + reason);
        }
    }

    /** Decodes every entry. Does not check the CRC: call {@link #ensureValid} first. */
    public List<StoredRecord> records() {
        ByteBuffer entries = EntryCodec.decompress(buffer, compression());
        long base = baseOffset();
        long baseTs = baseTimestamp();
        int count = recordCount();
        List<StoredRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(EntryCodec.read(entries, base, baseTs));
        }
        return out;
    }

    /**
     * The size of {@code record} encoded alone in an uncompressed batch: what {@code max.message.bytes}
     * limits. Saturates at {@link Integer#MAX_VALUE}.
     */
    public static int sizeOfRecord(io.sluice.log.Record record) {
        long size = (long) HEADER_SIZE + EntryCodec.sizeOf(0, 0, record.key(), record.value(), record.headers());
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** Encodes records at dense offsets starting from {@code baseOffset}. */
    public static ByteBuffer encode(
            long baseOffset, List<io.sluice.log.Record> records, Compression compression, int epoch) {
        List<Entry> entries = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            io.sluice.log.Record r = records.get(i);
            entries.add(new Entry(i, r.timestamp(), r.key(), r.value(), r.headers()));
        }
        return encodeEntries(baseOffset, entries, compression, epoch, -1L);
    }

    /**
     * Encodes already-offset records (compaction output): offsets may have gaps but must increase.
     */
    public static ByteBuffer encodeStored(
            List<StoredRecord> records, Compression compression, int epoch, long deleteHorizon) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        long base = records.get(0).offset();
        List<Entry> entries = new ArrayList<>(records.size());
        for (StoredRecord r : records) {
            entries.add(new Entry(Math.toIntExact(r.offset() - base), r.timestamp(), r.key(), r.value(), r.headers()));
        }
        return encodeEntries(base, entries, compression, epoch, deleteHorizon);
    }

    private record Entry(
            int offsetDelta, long timestamp, byte[] key, byte[] value, List<io.sluice.log.Header> headers) {}

    private static ByteBuffer encodeEntries(
            long baseOffset, List<Entry> entries, Compression compression, int epoch, long deleteHorizon) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        long baseTs = entries.get(0).timestamp();
        long maxTs = Long.MIN_VALUE;
        int entriesSize = 0;
        for (Entry e : entries) {
            maxTs = Math.max(maxTs, e.timestamp());
            entriesSize += EntryCodec.sizeOf(e.offsetDelta(), e.timestamp() - baseTs, e.key(), e.value(), e.headers());
        }
        // Uncompressed entries are written straight after room for the header: no extra copy.
        boolean inPlace = compression == Compression.NONE;
        ByteBuffer buf = ByteBuffer.allocate((inPlace ? HEADER_SIZE : 0) + entriesSize);
        buf.position(inPlace ? HEADER_SIZE : 0);
        for (Entry e : entries) {
            EntryCodec.write(buf, e.offsetDelta(), e.timestamp() - baseTs, e.key(), e.value(), e.headers());
        }
        buf.flip();
        ByteBuffer out = buf;
        if (!inPlace) {
            ByteBuffer body = EntryCodec.compress(buf, compression);
            out = ByteBuffer.allocate(HEADER_SIZE + body.remaining());
            out.position(HEADER_SIZE);
            out.put(body).flip();
        }
        int size = out.limit();
        if (size > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch of " + size + " bytes exceeds " + MAX_BATCH_SIZE);
        }
        out.putLong(BASE_OFFSET_OFFSET, baseOffset);
        out.putInt(LENGTH_OFFSET, size - LOG_OVERHEAD);
        out.put(MAGIC_OFFSET, MAGIC);
        out.putShort(ATTRIBUTES_OFFSET, (short) compression.id());
        out.putInt(LAST_OFFSET_DELTA_OFFSET, entries.get(entries.size() - 1).offsetDelta());
        out.putLong(BASE_TIMESTAMP_OFFSET, baseTs);
        out.putLong(MAX_TIMESTAMP_OFFSET, maxTs);
        out.putLong(DELETE_HORIZON_OFFSET, deleteHorizon);
        out.putInt(EPOCH_OFFSET, epoch);
        out.putInt(RECORD_COUNT_OFFSET, entries.size());
        out.position(0);
        out.putInt(CRC_OFFSET, (int) new RecordBatch(out).computeChecksum());
        return out;
    }
}
