package io.sluice.log.format;

import io.sluice.log.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed 32-byte header at the start of every segment file. Pinned by golden-file tests.
 *
 * <pre>
 *  0 magic      4 bytes "SLSG"
 *  4 version    int16   1
 *  6 headerSize int16   32
 *  8 baseOffset int64   offset of the first batch the segment may hold
 * 16 createdMs  int64   creation time, used by segment.ms rolling
 * 24 reserved   int32   0
 * 28 crc        uint32  CRC32C of bytes 0..27
 * </pre>
 */
public record SegmentHeader(long baseOffset, long createdMs) {

    public static final int SIZE = 32;
    static final int MAGIC = 0x534C5347; // "SLSG"
    static final short VERSION = 1;

    public ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE);
        out.putInt(MAGIC).putShort(VERSION).putShort((short) SIZE);
        out.putLong(baseOffset).putLong(createdMs).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, 28);
        out.putInt((int) crc.getValue());
        out.flip();
        return out;
    }

    /** Decodes a header; {@code file} names the file in the error when the header is damaged. */
    public static SegmentHeader decode(ByteBuffer in, String file) {
        if (in.remaining() < SIZE) {
            throw new CorruptRecordException(file + ": segment header truncated (" + in.remaining() + " bytes)");
        }
        ByteBuffer b = in.slice();
        if (b.getInt(0) != MAGIC) {
            throw new CorruptRecordException(file + ": not a Sluice segment (bad magic)");
        }
        if (b.getShort(4) != VERSION || b.getShort(6) != SIZE) {
            throw new CorruptRecordException(
                    file + ": unsupported segment version " + b.getShort(4) + " / header size " + b.getShort(6));
        }
        CRC32C crc = new CRC32C();
        ByteBuffer covered = b.duplicate();
        covered.limit(28);
        crc.update(covered);
        if ((int) crc.getValue() != b.getInt(28)) {
            throw new CorruptRecordException(file + ": segment header CRC mismatch");
        }
        return new SegmentHeader(b.getLong(8), b.getLong(16));
    }
}
