package io.sluice.log.offsets;

/** A committed consumer position: the next offset to read, free-form metadata, and when it was committed. */
public record OffsetAndMetadata(long offset, String metadata, long commitTimestamp) {

    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
        metadata = metadata == null ? "" : metadata;
    }
}
