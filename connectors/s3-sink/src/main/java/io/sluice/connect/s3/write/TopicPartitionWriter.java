package io.sluice.connect.s3.write;

import io.sluice.connect.s3.format.Format;
import io.sluice.connect.s3.format.ObjectWriter;
import io.sluice.connect.s3.partition.Partitioner;
import io.sluice.connect.s3.partition.TimestampExtractor;
import io.sluice.connect.s3.upload.Backoff;
import io.sluice.connect.s3.upload.ObjectBuffer;
import io.sluice.connect.s3.upload.ObjectUploader;
import io.sluice.connect.s3.upload.StoreErrors;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the records of one topic partition into objects. Records go into open objects, one per
 * encoded partition (folder); on rotation all open objects are closed together into a sealed batch
 * and uploaded, oldest batch first. Only when a whole batch is uploaded does the committable offset
 * move past its records, so a crash at any point replays from an offset where a rotation happened,
 * and the replay cuts the same objects at the same offsets (given a repeatable {@link Rotation} and
 * partitioner) and rewrites them under the same keys.
 *
 * <p>A failed upload stays sealed in memory and is retried after a growing backoff; the task stops
 * taking records meanwhile. A failure retrying cannot fix (missing bucket, wrong credentials) is
 * thrown as {@link StoreErrors.PermanentStoreException}. Not thread-safe: the task's thread only.
 */
public final class TopicPartitionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TopicPartitionWriter.class);

    /** What every topic partition of a task shares. */
    public record Settings(
            Format format,
            ObjectNames names,
            Partitioner partitioner,
            TimestampExtractor extractor,
            Rotation rotation,
            ObjectUploader uploader,
            boolean failOnNullValues,
            long backoffMs,
            long backoffMaxMs,
            ZoneId zone) {}

    private record OpenObject(String key, ObjectWriter writer) {}

    private record SealedObject(String key, ObjectBuffer body) {}

    /** Objects closed together, and the offset that is committable once all are uploaded. */
    private record Batch(Deque<SealedObject> objects, long nextOffset) {}

    private final TopicPartition source;
    private final Settings settings;
    private final boolean needsTime;
    private final Backoff backoff;
    private final Map<String, OpenObject> open = new LinkedHashMap<>();
    private final Deque<Batch> sealed = new ArrayDeque<>();
    private int records;
    private long baseTimestamp;
    private long scheduledRotationAt = Long.MAX_VALUE;
    private long lastOffset = -1;
    private long committable = -1;
    private long openBytes;
    private long sealedBytes;
    private RuntimeException lastFailure;

    public TopicPartitionWriter(TopicPartition source, Settings settings) {
        this.source = source;
        this.settings = settings;
        this.needsTime =
                settings.partitioner().usesTime() || settings.rotation().rotateIntervalMs() > 0;
        this.backoff = new Backoff(settings.backoffMs(), settings.backoffMaxMs());
    }

    /**
     * Adds a record, rotating before it (record time past {@code rotate.interval.ms}, schema change)
     * or after it ({@code flush.size}) as needed, and uploading what rotated unless uploads are
     * backing off.
     */
    public void write(SinkRecord record, long nowMs) {
        long offset = record.originalKafkaOffset();
        if (committable < 0) {
            committable = offset;
        }
        if (record.value() == null) {
            lastOffset = offset;
            if (settings.failOnNullValues()) {
                throw new ConnectException("record " + source + "@" + offset
                        + " has a null value (tombstone) and behavior.on.null.values=fail");
            }
            if (records == 0 && sealed.isEmpty()) {
                committable = offset + 1;
            }
            return;
        }
        long timestamp = needsTime ? settings.extractor().extract(record) : 0L;
        long interval = settings.rotation().rotateIntervalMs();
        if (interval > 0 && records > 0 && timestamp - baseTimestamp >= interval) {
            rotate(nowMs);
        }
        String encoded = settings.partitioner().encode(record, timestamp);
        OpenObject object = open.get(encoded);
        if (object != null && !object.writer().accepts(record.valueSchema())) {
            rotate(nowMs);
            object = null;
        }
        if (object == null) {
            String key = settings.names().key(record.topic(), encoded, source, offset);
            object = new OpenObject(key, settings.format().newObject(record.valueSchema()));
            open.put(encoded, object);
        }
        if (records == 0) {
            baseTimestamp = timestamp;
            scheduledRotationAt = nextScheduledRotation(nowMs);
        }
        // only now: a rotation before this record must not count it in the batch it closes
        lastOffset = offset;
        long before = object.writer().bufferedBytes();
        object.writer().write(record);
        openBytes += object.writer().bufferedBytes() - before;
        records++;
        if (records >= settings.rotation().flushSize()) {
            rotate(nowMs);
        }
    }

    /** Rotates if the wall-clock schedule says so ({@code rotate.schedule.interval.ms}). */
    public void rotateIfScheduled(long nowMs) {
        if (records > 0 && nowMs >= scheduledRotationAt) {
            rotate(nowMs);
        }
    }

    /** Closes all open objects into a sealed batch and tries to upload (see {@link #uploadSealed}). */
    public void rotate(long nowMs) {
        if (!open.isEmpty()) {
            Deque<SealedObject> objects = new ArrayDeque<>(open.size());
            for (OpenObject o : open.values()) {
                ObjectBuffer body = o.writer().finish();
                objects.add(new SealedObject(o.key(), body));
                sealedBytes += body.capacity();
            }
            sealed.add(new Batch(objects, lastOffset + 1));
            open.clear();
        }
        openBytes = 0;
        records = 0;
        scheduledRotationAt = Long.MAX_VALUE;
        uploadSealed(nowMs);
    }

    /**
     * Uploads sealed batches in order unless the backoff after a failure has not passed yet.
     *
     * @return true if nothing is left waiting for upload
     */
    public boolean uploadSealed(long nowMs) {
        if (sealed.isEmpty()) {
            return true;
        }
        if (!backoff.ready(nowMs)) {
            return false;
        }
        while (!sealed.isEmpty()) {
            Batch batch = sealed.peek();
            while (!batch.objects().isEmpty()) {
                SealedObject object = batch.objects().peek();
                try {
                    settings.uploader()
                            .upload(
                                    object.key(),
                                    object.body(),
                                    settings.format().contentType());
                } catch (StoreErrors.PermanentStoreException e) {
                    throw e;
                } catch (RuntimeException e) {
                    backoff.failed(System.currentTimeMillis());
                    lastFailure = e;
                    logFailure(object.key(), e);
                    return false;
                }
                LOG.debug("Uploaded {} ({} bytes)", object.key(), object.body().size());
                sealedBytes -= object.body().capacity();
                object.body().release();
                batch.objects().poll();
            }
            sealed.poll();
            committable = batch.nextOffset();
        }
        if (backoff.failures() > 0) {
            LOG.info("Uploads of {} succeed again after {} failed attempts", source, backoff.failures());
        }
        lastFailure = null;
        backoff.succeeded();
        if (records == 0) {
            committable = lastOffset + 1;
        }
        return true;
    }

    private void logFailure(String key, RuntimeException e) {
        if (backoff.failures() == 1) {
            LOG.warn(
                    "Upload of {} failed; retrying in {} ms while {} stops taking records: {}",
                    key,
                    backoff.remainingMs(System.currentTimeMillis()),
                    source,
                    e.toString());
        } else {
            LOG.debug("Upload of {} failed again (attempt {}): {}", key, backoff.failures(), e.toString());
        }
    }

    /** The failure of the last upload attempt while uploads keep failing, else null. */
    public RuntimeException lastFailure() {
        return lastFailure;
    }

    /** Whether sealed objects are waiting for upload. */
    public boolean hasSealed() {
        return !sealed.isEmpty();
    }

    public long backoffRemainingMs(long nowMs) {
        return backoff.remainingMs(nowMs);
    }

    /** Memory held in open and sealed objects. */
    public long bufferedBytes() {
        return openBytes + sealedBytes;
    }

    /** Memory held in open objects only (what a forced rotation can turn into an upload). */
    public long openBytes() {
        return openBytes;
    }

    /** The offset below which every record is in an uploaded object (or skipped); empty before any record. */
    public OptionalLong committableOffset() {
        return committable < 0 ? OptionalLong.empty() : OptionalLong.of(committable);
    }

    /** Drops everything not uploaded; those records come again from the committed offset. */
    public void discard() {
        open.values().forEach(o -> o.writer().discard());
        open.clear();
        sealed.forEach(b -> b.objects().forEach(o -> o.body().release()));
        sealed.clear();
        openBytes = 0;
        sealedBytes = 0;
        records = 0;
    }

    /** Keys of objects waiting for upload, for diagnostics and tests. */
    public List<String> sealedKeys() {
        List<String> keys = new ArrayList<>();
        sealed.forEach(b -> b.objects().forEach(o -> keys.add(o.key())));
        return keys;
    }

    public TopicPartition source() {
        return source;
    }

    private long nextScheduledRotation(long nowMs) {
        long interval = settings.rotation().scheduleIntervalMs();
        if (interval <= 0) {
            return Long.MAX_VALUE;
        }
        long offsetMs = settings.zone()
                        .getRules()
                        .getOffset(Instant.ofEpochMilli(nowMs))
                        .getTotalSeconds()
                * 1000L;
        return Math.floorDiv(nowMs + offsetMs, interval) * interval + interval - offsetMs;
    }
}
