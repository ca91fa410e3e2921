package io.sluice.log;

/** A record batch failed its checks (CRC, length, offsets). The message names the file and position. */
public class CorruptRecordException extends LogException {

    public CorruptRecordException(String message) {
        super(message);
    }
}
