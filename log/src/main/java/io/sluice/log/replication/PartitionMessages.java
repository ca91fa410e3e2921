package io.sluice.log.replication;

import io.sluice.log.FetchResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The wire format of a partition group's Raft entries, read-only queries and replies (big-endian,
 * one type byte first). Raft entries are stored in the Raft log, so their layout is a persisted
 * format: extend it with new type bytes, never change an existing one.
 *
 * <pre>
 * entry INIT   1 | topic (utf) | partition int32 | settings count int32, then key/value (utf) pairs
 * entry APPEND 2 | producerId int64 | epoch int32 | one record batch (io.sluice.log.format.RecordBatch)
 * entry FENCE  3 | producerId int64 | epoch int32
 * entry APPEND_MANY 4 | count int32, then per batch: producerId int64 | epoch int32 | size int32 | batch
 *              (appends of several producers combined into one entry; applied in this order)
 * query FETCH  10 | offset int64 | maxBytes int32
 * query STATUS 11
 * query SNAPSHOT_POINT 12 (what a replica that fell behind the leader's oldest Raft entry copies)
 * reply of APPEND_MANY: OK | count int32, then per batch: size int32 | that batch's reply as below
 * reply        status int8 (0 ok, 1 stale epoch, 2 offset out of range, 3 not initialised, 4 error), then
 *              ok APPEND: baseOffset int64, lastOffset int64; ok FETCH: fetchOffset, highWatermark,
 *              logStartOffset, nextOffset int64, then batches; ok STATUS: logStart, logEnd int64, then
 *              (absent from older workers' replies) sizeInBytes int64;
 *              stale epoch: producerId int64, epoch int32, currentEpoch int32; out of range: logStart,
 *              logEnd int64; ok SNAPSHOT_POINT: term int64, index int64, endOffset int64, logStart int64,
 *              producer count int32 then producerId int64 | epoch int32 per producer, topic (utf),
 *              partition int32, settings count int32 then key/value (utf) pairs; others: message (utf)
 * </pre>
 */
final class PartitionMessages {

    static final byte INIT = 1;
    static final byte APPEND = 2;
    static final byte FENCE = 3;
    static final byte APPEND_MANY = 4;
    static final byte FETCH = 10;
    static final byte STATUS = 11;
    static final byte SNAPSHOT_POINT = 12;

    static final byte OK = 0;
    static final byte STALE_EPOCH = 1;
    static final byte OUT_OF_RANGE = 2;
    static final byte NOT_INITIALISED = 3;
    static final byte ERROR = 4;

    static final int APPEND_HEADER = 1 + 8 + 4;

    private PartitionMessages() {}

    record Init(String topic, int partition, Map<String, String> settings) {}

    static Message init(String topic, int partition, Map<String, String> settings) {
        byte[] t = utf(topic);
        int size = 1 + 4 + t.length + 4 + 4;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            size += 8 + utf(e.getKey()).length + utf(e.getValue()).length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(INIT);
        putUtf(b, topic);
        b.putInt(partition);
        b.putInt(settings.size());
        settings.forEach((k, v) -> {
            putUtf(b, k);
            putUtf(b, v);
        });
        return message(b);
    }

    static Init readInit(ByteBuffer b) {
        String topic = getUtf(b);
        int partition = b.getInt();
        int n = b.getInt();
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            settings.put(getUtf(b), getUtf(b));
        }
        return new Init(topic, partition, settings);
    }

    /** The batch is not copied: the caller must not change it until the append returned. */
    static Message append(long producerId, int epoch, ByteBuffer batch) {
        ByteBuffer header = ByteBuffer.allocate(APPEND_HEADER)
                .put(APPEND)
                .putLong(producerId)
                .putInt(epoch);
        header.flip();
        return Message.valueOf(
                UnsafeByteOperations.unsafeWrap(header).concat(UnsafeByteOperations.unsafeWrap(batch.duplicate())));
    }

    /** One item of an APPEND_MANY entry. */
    record Item(long producerId, int epoch, ByteBuffer batch) {}

    /** The batches are not copied: callers must not change them until the append returned. */
    static Message appendMany(List<Item> items) {
        ByteBuffer head = ByteBuffer.allocate(5).put(APPEND_MANY).putInt(items.size());
        head.flip();
        ByteString out = UnsafeByteOperations.unsafeWrap(head);
        for (Item item : items) {
            ByteBuffer h = ByteBuffer.allocate(16)
                    .putLong(item.producerId())
                    .putInt(item.epoch())
                    .putInt(item.batch().remaining());
            h.flip();
            out = out.concat(UnsafeByteOperations.unsafeWrap(h))
                    .concat(UnsafeByteOperations.unsafeWrap(item.batch().duplicate()));
        }
        return Message.valueOf(out);
    }

    static Message many(List<Message> replies) {
        int size = 5;
        for (Message m : replies) {
            size += 4 + m.getContent().size();
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(OK).putInt(replies.size());
        for (Message m : replies) {
            b.putInt(m.getContent().size()).put(m.getContent().asReadOnlyByteBuffer());
        }
        return message(b);
    }

    /** Splits an APPEND_MANY reply whose status byte was consumed into the replies of its batches. */
    static List<ByteBuffer> readMany(ByteBuffer b) {
        int n = b.getInt();
        List<ByteBuffer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int size = b.getInt();
            ByteBuffer one = b.slice();
            one.limit(size);
            out.add(one);
            b.position(b.position() + size);
        }
        return out;
    }

    static Message fence(long producerId, int epoch) {
        return message(ByteBuffer.allocate(13).put(FENCE).putLong(producerId).putInt(epoch));
    }

    static Message fetch(long offset, int maxBytes) {
        return message(ByteBuffer.allocate(13).put(FETCH).putLong(offset).putInt(maxBytes));
    }

    static Message status() {
        return message(ByteBuffer.allocate(1).put(STATUS));
    }

    static Message snapshotPoint() {
        return message(ByteBuffer.allocate(1).put(SNAPSHOT_POINT));
    }

    /**
     * The leader's latest snapshot as a follower installs it: the Raft term and index it stands for,
     * the partition log's end and start there, the fencing state, and the partition the group holds.
     */
    record SnapshotPoint(
            long term, long index, long endOffset, long logStartOffset, Map<Long, Integer> epochs, Init partition) {}

    static Message okSnapshotPoint(SnapshotPoint s) {
        byte[] topic = utf(s.partition().topic());
        int size = 1 + 32 + 4 + s.epochs().size() * 12 + 4 + topic.length + 4 + 4;
        for (Map.Entry<String, String> e : s.partition().settings().entrySet()) {
            size += 8 + utf(e.getKey()).length + utf(e.getValue()).length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(OK).putLong(s.term()).putLong(s.index()).putLong(s.endOffset()).putLong(s.logStartOffset());
        b.putInt(s.epochs().size());
        s.epochs().forEach((id, epoch) -> b.putLong(id).putInt(epoch));
        putUtf(b, s.partition().topic());
        b.putInt(s.partition().partition());
        b.putInt(s.partition().settings().size());
        s.partition().settings().forEach((k, v) -> {
            putUtf(b, k);
            putUtf(b, v);
        });
        return message(b);
    }

    /** Reads a SNAPSHOT_POINT reply whose status byte was consumed. */
    static SnapshotPoint readSnapshotPoint(ByteBuffer b) {
        long term = b.getLong();
        long index = b.getLong();
        long end = b.getLong();
        long start = b.getLong();
        int n = b.getInt();
        Map<Long, Integer> epochs = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            epochs.put(b.getLong(), b.getInt());
        }
        return new SnapshotPoint(term, index, end, start, epochs, readInit(b));
    }

    static Message okAppend(long base, long last) {
        return message(ByteBuffer.allocate(17).put(OK).putLong(base).putLong(last));
    }

    static Message ok() {
        return message(ByteBuffer.allocate(1).put(OK));
    }

    static Message okFetch(FetchResult r) {
        ByteBuffer b = ByteBuffer.allocate(33 + r.batches().remaining());
        b.put(OK).putLong(r.fetchOffset()).putLong(r.highWatermark()).putLong(r.logStartOffset());
        b.putLong(r.nextOffset()).put(r.batches().duplicate());
        return message(b);
    }

    static Message okStatus(long logStart, long logEnd, long sizeInBytes) {
        return message(ByteBuffer.allocate(25)
                .put(OK)
                .putLong(logStart)
                .putLong(logEnd)
                .putLong(sizeInBytes));
    }

    /** Reads a STATUS reply whose status byte was consumed; a reply without the size says -1. */
    static PartitionOffsets readStatus(ByteBuffer b) {
        long logStart = b.getLong();
        long logEnd = b.getLong();
        return new PartitionOffsets(logStart, logEnd, b.remaining() >= 8 ? b.getLong() : -1);
    }

    static Message outOfRange(long logStart, long logEnd) {
        return message(
                ByteBuffer.allocate(17).put(OUT_OF_RANGE).putLong(logStart).putLong(logEnd));
    }

    static Message staleEpoch(long producerId, int epoch, int current) {
        return message(ByteBuffer.allocate(17)
                .put(STALE_EPOCH)
                .putLong(producerId)
                .putInt(epoch)
                .putInt(current));
    }

    static Message failure(byte status, String text) {
        byte[] t = utf(text == null ? "unknown error" : text);
        return message(
                ByteBuffer.allocate(5 + t.length).put(status).putInt(t.length).put(t));
    }

    /** Reads a FETCH reply whose status byte was consumed. */
    static FetchResult readFetch(ByteBuffer b) {
        long fetchOffset = b.getLong();
        long hw = b.getLong();
        long logStart = b.getLong();
        long next = b.getLong();
        ByteBuffer batches = ByteBuffer.allocate(b.remaining()).put(b).flip();
        return new FetchResult(fetchOffset, batches, hw, logStart, next);
    }

    static String readText(ByteBuffer b) {
        return getUtf(b);
    }

    static ByteBuffer buffer(Message m) {
        return m.getContent().asReadOnlyByteBuffer();
    }

    /** Wraps a buffer built here and never touched again (no copy). */
    private static Message message(ByteBuffer b) {
        b.flip();
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(b));
    }

    private static byte[] utf(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putUtf(ByteBuffer b, String s) {
        byte[] bytes = utf(s);
        b.putInt(bytes.length).put(bytes);
    }

    private static String getUtf(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
