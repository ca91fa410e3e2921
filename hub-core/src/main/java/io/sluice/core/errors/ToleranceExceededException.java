package io.sluice.core.errors;

import org.apache.kafka.connect.errors.ConnectException;

/** A failure that the connector's error tolerance does not allow; the task must fail with it. */
public class ToleranceExceededException extends ConnectException {

    private static final long serialVersionUID = 1L;

    public ToleranceExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
