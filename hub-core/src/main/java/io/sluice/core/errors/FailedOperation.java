package io.sluice.core.errors;

/**
 * Everything known about one failed operation, handed to each {@link ErrorReporter}. Immutable
 * reference.
 *
 * @param executingClass the converter, transformation or task class that failed
 * @param attempts how many times the operation ran
 */
public record FailedOperation(
        String connector,
        int task,
        OriginalRecord record,
        Stage stage,
        Class<?> executingClass,
        Throwable error,
        int attempts) {}
