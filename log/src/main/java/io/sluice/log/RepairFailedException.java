package io.sluice.log;

/** A repair could not be carried out; the partition is as it was before it. */
public final class RepairFailedException extends LogException {

    private static final long serialVersionUID = 1L;

    public RepairFailedException(TopicPartition tp, String message, Throwable cause) {
        super(tp + ": " + message, cause);
    }
}
