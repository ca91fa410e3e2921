package io.sluice.log;

/** A record cannot be appended (for example a record without a key on a compacted topic). */
public class InvalidRecordException extends LogException {

    public InvalidRecordException(String message) {
        super(message);
    }
}
