package io.sluice.log.offsets;

import io.sluice.log.CorruptRecordException;
import io.sluice.log.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Key and value layout of records in {@code __consumer_offsets}. Pinned by golden-file tests.
 *
 * <pre>
 * key:   int16 version (1), int16 group length, group UTF-8, int16 topic length, topic UTF-8, int32 partition
 * value: int16 version (1), int64 offset, int64 commit timestamp, int32 metadata length, metadata UTF-8
 * </pre>
 *
 * A {@code null} value (tombstone) deletes the key's offset.
 */
final class OffsetCommitCodec {

    static final short VERSION = 1;

    private OffsetCommitCodec() {}

    record Key(String group, TopicPartition tp) {}

    static byte[] encodeKey(String group, TopicPartition tp) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] t = tp.topic().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + g.length + 2 + t.length + 4);
        b.putShort(VERSION)
                .putShort((short) g.length)
                .put(g)
                .putShort((short) t.length)
                .put(t)
                .putInt(tp.partition());
        return b.array();
    }

    static Key decodeKey(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            short version = b.getShort();
            if (version != VERSION) {
                throw new CorruptRecordException("unknown offset key version " + version);
            }
            String group = readString(b, b.getShort());
            String topic = readString(b, b.getShort());
            return new Key(group, new TopicPartition(topic, b.getInt()));
        } catch (RuntimeException e) {
            if (e instanceof CorruptRecordException c) {
                throw c;
            }
            throw new CorruptRecordException("undecodable offset key: " + e);
        }
    }

    static byte[] encodeValue(OffsetAndMetadata value) {
        byte[] m = value.metadata().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 8 + 8 + 4 + m.length);
        b.putShort(VERSION)
                .putLong(value.offset())
                .putLong(value.commitTimestamp())
                .putInt(m.length)
                .put(m);
        return b.array();
    }

    static OffsetAndMetadata decodeValue(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            short version = b.getShort();
            if (version != VERSION) {
                throw new CorruptRecordException("unknown offset value version " + version);
            }
            long offset = b.getLong();
            long ts = b.getLong();
            return new OffsetAndMetadata(offset, readString(b, b.getInt()), ts);
        } catch (RuntimeException e) {
            if (e instanceof CorruptRecordException c) {
                throw c;
            }
            throw new CorruptRecordException("undecodable offset value: " + e);
        }
    }

    private static String readString(ByteBuffer b, int length) {
        if (length < 0 || length > b.remaining()) {
            throw new CorruptRecordException("bad string length " + length);
        }
        byte[] s = new byte[length];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
