package io.sluice.log;

/** The topic or partition does not exist. */
public class UnknownTopicException extends LogException {

    public UnknownTopicException(String message) {
        super(message);
    }
}
