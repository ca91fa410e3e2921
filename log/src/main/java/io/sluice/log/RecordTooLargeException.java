package io.sluice.log;

/**
 * A record is larger than its topic's {@code max.message.bytes}; nothing of the append it belongs to
 * was stored.
 */
public class RecordTooLargeException extends InvalidRecordException {

    private final int recordBytes;
    private final int limitBytes;

    public RecordTooLargeException(String message, int recordBytes, int limitBytes) {
        super(message);
        this.recordBytes = recordBytes;
        this.limitBytes = limitBytes;
    }

    public int recordBytes() {
        return recordBytes;
    }

    public int limitBytes() {
        return limitBytes;
    }
}
