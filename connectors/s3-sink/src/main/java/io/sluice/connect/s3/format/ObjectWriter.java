package io.sluice.connect.s3.format;

import io.sluice.connect.s3.upload.ObjectBuffer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Writes the records of one object, in memory. Deterministic: the same records give the same
 * bytes, which is what lets a replay after a crash rewrite an object identically. Not thread-safe.
 */
public interface ObjectWriter {

    /** Whether a record with this value schema can go into this object (Parquet: same schema). */
    boolean accepts(Schema valueSchema);

    /** Appends the record's value. @throws org.apache.kafka.connect.errors.DataException if it cannot be written */
    void write(SinkRecord record);

    /** Memory held by this object so far, in bytes (counts against {@code s3.buffer.max.bytes}). */
    long bufferedBytes();

    /** Finishes the object (footer, compression trailer) and returns its bytes; no more writes. */
    ObjectBuffer finish();

    /** Drops everything written; no more writes. */
    void discard();
}
