package io.sluice.log;

import java.util.List;

/** A record read back from the log, with the offset the log gave it. */
public record StoredRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    /** The record as it was appended, without its offset. */
    public Record toRecord() {
        return new Record(key, value, headers, timestamp);
    }

    public boolean isTombstone() {
        return value == null;
    }
}
