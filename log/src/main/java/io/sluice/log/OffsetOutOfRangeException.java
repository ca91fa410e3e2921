package io.sluice.log;

/** A fetch asked for an offset below the log start or above the log end. */
public class OffsetOutOfRangeException extends LogException {

    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(TopicPartition tp, long offset, long logStartOffset, long logEndOffset) {
        super("offset " + offset + " is out of range for " + tp + " (log start " + logStartOffset + ", end "
                + logEndOffset + ")");
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
