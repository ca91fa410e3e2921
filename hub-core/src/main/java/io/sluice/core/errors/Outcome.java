package io.sluice.core.errors;

/**
 * What a stage produced: its value (which may itself be null, e.g. a record dropped by a
 * transformation), or the tolerated error that made the record be skipped. Immutable reference.
 */
public record Outcome<V>(V value, Throwable error) {

    static <V> Outcome<V> success(V value) {
        return new Outcome<>(value, null);
    }

    static <V> Outcome<V> skipped(Throwable error) {
        return new Outcome<>(null, error);
    }

    /** Whether the operation failed and the record was skipped. */
    public boolean failed() {
        return error != null;
    }
}
