package io.sluice.log.format;

import java.nio.ByteBuffer;

/**
 * The 24-byte header of an index file. Pinned by golden-file tests.
 *
 * <pre>
 *  0 magic      4 bytes "SLOI" (offset index) or "SLTI" (time index)
 *  4 version    int16   1
 *  6 entrySize  int16   8 (offset index: int32 relative offset, int32 position)
 *                       12 (time index: int64 timestamp, int32 relative offset)
 *  8 baseOffset int64   the segment's base offset
 * 16 reserved   int64   0
 * </pre>
 */
public record IndexHeader(int magic, int entrySize, long baseOffset) {

    public static final int SIZE = 24;
    public static final int OFFSET_INDEX_MAGIC = 0x534C4F49; // "SLOI"
    public static final int TIME_INDEX_MAGIC = 0x534C5449; // "SLTI"
    static final short VERSION = 1;

    public ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE);
        out.putInt(magic)
                .putShort(VERSION)
                .putShort((short) entrySize)
                .putLong(baseOffset)
                .putLong(0L);
        out.flip();
        return out;
    }

    /** Decodes a header, or returns {@code null} when the bytes are not a valid header. */
    public static IndexHeader decodeOrNull(ByteBuffer in) {
        if (in.remaining() < SIZE) {
            return null;
        }
        ByteBuffer b = in.slice();
        int magic = b.getInt(0);
        if ((magic != OFFSET_INDEX_MAGIC && magic != TIME_INDEX_MAGIC) || b.getShort(4) != VERSION) {
            return null;
        }
        return new IndexHeader(magic, b.getShort(6), b.getLong(8));
    }
}
