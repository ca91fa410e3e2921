package io.sluice.log;

import io.sluice.log.segment.Segment;

/** A read found a corrupt batch in {@link #segment()}; the message names the file and position. */
final class CorruptBatchException extends CorruptRecordException {

    private final transient Segment segment;

    CorruptBatchException(Segment segment, String message) {
        super(message);
        this.segment = segment;
    }

    Segment segment() {
        return segment;
    }
}
