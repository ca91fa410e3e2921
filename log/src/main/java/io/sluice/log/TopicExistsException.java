package io.sluice.log;

/** A topic with that name already exists with a different layout. */
public class TopicExistsException extends LogException {

    public TopicExistsException(String message) {
        super(message);
    }
}
