package io.sluice.worker.store;

/**
 * An offset commit refused because a newer assignment of the same task has committed offsets already:
 * another worker runs the task now. The task stops as fenced (not failed, not restarted).
 */
public final class FencedWriteException extends IllegalStateException {

    private final transient TaskEpoch writer;

    public FencedWriteException(TaskEpoch writer, String reason) {
        super("offset commit of task " + writer + " refused: " + reason);
        this.writer = writer;
    }

    public TaskEpoch writer() {
        return writer;
    }
}
