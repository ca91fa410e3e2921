package io.sluice.log;

/** Base of the log's unchecked exceptions. Messages name the topic, partition, file or offset at fault. */
public class LogException extends RuntimeException {

    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
