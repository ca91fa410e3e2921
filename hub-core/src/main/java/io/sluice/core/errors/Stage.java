package io.sluice.core.errors;

/**
 * Where in a task's pipeline an operation runs; written to the {@code __connect.errors.stage}
 * header. Failures in record stages can be tolerated ({@code errors.tolerance=all}); failures of the
 * task's own {@code poll()}/{@code put()} always fail the task (a sink skips single records through
 * its {@link org.apache.kafka.connect.sink.ErrantRecordReporter}). Immutable.
 */
public enum Stage {
    TASK_POLL(false),
    TASK_PUT(false),
    KEY_CONVERTER(true),
    VALUE_CONVERTER(true),
    HEADER_CONVERTER(true),
    TRANSFORMATION(true),
    LOG_APPEND(false),
    LOG_FETCH(false);

    private final boolean tolerable;

    Stage(boolean tolerable) {
        this.tolerable = tolerable;
    }

    /** Whether a failure in this stage may be skipped under {@code errors.tolerance=all}. */
    public boolean tolerable() {
        return tolerable;
    }
}
