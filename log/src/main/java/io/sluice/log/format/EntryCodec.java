package io.sluice.log.format;

import com.github.luben.zstd.Zstd;
import io.sluice.log.Compression;
import io.sluice.log.CorruptRecordException;
import io.sluice.log.Header;
import io.sluice.log.StoredRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/** Encodes and decodes the entries section of a batch, and compresses it. Stateless, thread-safe. */
final class EntryCodec {

    private static final LZ4Compressor LZ4_COMPRESSOR =
            LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4FastDecompressor LZ4_DECOMPRESSOR =
            LZ4Factory.fastestInstance().fastDecompressor();
    private static final int ZSTD_LEVEL = 3;

    private EntryCodec() {}

    static int sizeOf(int offsetDelta, long timestampDelta, byte[] key, byte[] value, List<Header> headers) {
        int body = bodySize(offsetDelta, timestampDelta, key, value, headers);
        return Varints.sizeOfVarint(body) + body;
    }

    private static int bodySize(int offsetDelta, long timestampDelta, byte[] key, byte[] value, List<Header> headers) {
        int size = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta);
        size += bytesSize(key) + bytesSize(value);
        size += Varints.sizeOfVarint(headers.size());
        for (Header h : headers) {
            int keyLen = utf8Length(h.key());
            size += Varints.sizeOfVarint(keyLen) + keyLen + bytesSize(h.value());
        }
        return size;
    }

    private static int bytesSize(byte[] bytes) {
        return bytes == null ? 1 : Varints.sizeOfVarint(bytes.length) + bytes.length;
    }

    static void write(
            ByteBuffer out, int offsetDelta, long timestampDelta, byte[] key, byte[] value, List<Header> headers) {
        Varints.writeVarint(bodySize(offsetDelta, timestampDelta, key, value, headers), out);
        out.put((byte) 0);
        Varints.writeVarlong(timestampDelta, out);
        Varints.writeVarint(offsetDelta, out);
        writeBytes(out, key);
        writeBytes(out, value);
        Varints.writeVarint(headers.size(), out);
        for (Header h : headers) {
            byte[] k = h.key().getBytes(StandardCharsets.UTF_8);
            Varints.writeVarint(k.length, out);
            out.put(k);
            writeBytes(out, h.value());
        }
    }

    private static void writeBytes(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            Varints.writeVarint(-1, out);
        } else {
            Varints.writeVarint(bytes.length, out);
            out.put(bytes);
        }
    }

    static StoredRecord read(ByteBuffer in, long baseOffset, long baseTimestamp) {
        try {
            int length = Varints.readVarint(in);
            int end = in.position() + length;
            if (length < 0 || end > in.limit()) {
                throw new CorruptRecordException("entry length " + length + " runs past its batch");
            }
            in.get(); // attributes, reserved
            long timestamp = baseTimestamp + Varints.readVarlong(in);
            long offset = baseOffset + Varints.readVarint(in);
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            int headerCount = Varints.readVarint(in);
            if (headerCount < 0 || headerCount > length) {
                throw new CorruptRecordException("bad header count " + headerCount);
            }
            List<Header> headers = headerCount == 0 ? List.of() : new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                byte[] k = readBytes(in);
                if (k == null) {
                    throw new CorruptRecordException("null header key");
                }
                headers.add(new Header(new String(k, StandardCharsets.UTF_8), readBytes(in)));
            }
            if (in.position() != end) {
                throw new CorruptRecordException("entry length " + length + " does not match its content");
            }
            return new StoredRecord(offset, timestamp, key, value, headers);
        } catch (RuntimeException e) {
            if (e instanceof CorruptRecordException c) {
                throw c;
            }
            throw new CorruptRecordException("undecodable entry: " + e);
        }
    }

    private static byte[] readBytes(ByteBuffer in) {
        int len = Varints.readVarint(in);
        if (len < 0) {
            return null;
        }
        byte[] bytes = new byte[len];
        in.get(bytes);
        return bytes;
    }

    private static int utf8Length(String s) {
        int len = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                len++;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c)) {
                len += 4;
                i++;
            } else {
                len += 3;
            }
        }
        return len;
    }

    static ByteBuffer compress(ByteBuffer entries, Compression compression) {
        int rawSize = entries.remaining();
        switch (compression) {
            case NONE:
                return entries;
            case LZ4: {
                int max = LZ4_COMPRESSOR.maxCompressedLength(rawSize);
                ByteBuffer out = ByteBuffer.allocate(4 + max);
                out.putInt(rawSize);
                int written = LZ4_COMPRESSOR.compress(entries, entries.position(), rawSize, out, 4, max);
                out.position(4 + written);
                out.flip();
                return out;
            }
            case ZSTD: {
                byte[] raw = new byte[rawSize];
                entries.duplicate().get(raw);
                byte[] packed = Zstd.compress(raw, ZSTD_LEVEL);
                ByteBuffer out = ByteBuffer.allocate(4 + packed.length);
                out.putInt(rawSize).put(packed).flip();
                return out;
            }
            default:
                throw new IllegalArgumentException(compression.name());
        }
    }

    /** The entries of a whole batch buffer, decompressed when needed. */
    static ByteBuffer decompress(ByteBuffer batch, Compression compression) {
        ByteBuffer body = batch.duplicate();
        body.position(RecordBatch.HEADER_SIZE);
        if (compression == Compression.NONE) {
            return body.slice();
        }
        int rawSize = body.getInt();
        if (rawSize < 0 || rawSize > RecordBatch.MAX_BATCH_SIZE * 8) {
            throw new CorruptRecordException("bad uncompressed size " + rawSize);
        }
        try {
            if (compression == Compression.LZ4) {
                ByteBuffer out = ByteBuffer.allocate(rawSize);
                LZ4_DECOMPRESSOR.decompress(body, body.position(), out, 0, rawSize);
                return out;
            }
            byte[] packed = new byte[body.remaining()];
            body.get(packed);
            return ByteBuffer.wrap(Zstd.decompress(packed, rawSize));
        } catch (RuntimeException e) {
            throw new CorruptRecordException("cannot decompress " + compression.configName() + " batch: " + e);
        }
    }
}
