package io.sluice.core.errors;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each failed record to the dead-letter topic with its original key, value and headers, plus
 * (with {@code errors.deadletterqueue.context.headers.enable}) Kafka Connect's {@code
 * __connect.errors.*} headers describing the failure. A failed send is counted and logged, never
 * thrown. Thread-safe.
 */
public final class DeadLetterQueueReporter implements ErrorReporter {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterQueueReporter.class);

    public static final String HEADER_PREFIX = "__connect.errors.";
    public static final String ERROR_HEADER_ORIG_TOPIC = HEADER_PREFIX + "topic";
    public static final String ERROR_HEADER_ORIG_PARTITION = HEADER_PREFIX + "partition";
    public static final String ERROR_HEADER_ORIG_OFFSET = HEADER_PREFIX + "offset";
    public static final String ERROR_HEADER_CONNECTOR_NAME = HEADER_PREFIX + "connector.name";
    public static final String ERROR_HEADER_TASK_ID = HEADER_PREFIX + "task.id";
    public static final String ERROR_HEADER_STAGE = HEADER_PREFIX + "stage";
    public static final String ERROR_HEADER_EXECUTING_CLASS = HEADER_PREFIX + "class.name";
    public static final String ERROR_HEADER_EXCEPTION = HEADER_PREFIX + "exception.class.name";
    public static final String ERROR_HEADER_EXCEPTION_MESSAGE = HEADER_PREFIX + "exception.message";
    public static final String ERROR_HEADER_EXCEPTION_STACK_TRACE = HEADER_PREFIX + "exception.stacktrace";

    private final DeadLetterQueue queue;
    private final ErrorHandlingConfig config;
    private final ErrorCounters counters;

    public DeadLetterQueueReporter(DeadLetterQueue queue, ErrorHandlingConfig config, ErrorCounters counters) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.config = Objects.requireNonNull(config, "config");
        this.counters = Objects.requireNonNull(counters, "counters");
        if (!config.deadLetterQueueEnabled()) {
            throw new IllegalArgumentException("errors.deadletterqueue.topic.name is not set");
        }
    }

    @Override
    public CompletableFuture<Void> report(FailedOperation failure) {
        OriginalRecord original = failure.record();
        List<RawHeader> headers = new ArrayList<>(original.headers());
        if (config.deadLetterContextHeaders()) {
            headers.addAll(contextHeaders(failure));
        }
        DeadLetterQueue.Record record =
                new DeadLetterQueue.Record(config.deadLetterTopic(), original.key(), original.value(), headers);
        CompletableFuture<Void> sent;
        try {
            sent = queue.send(record);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((ok, error) -> {
            if (error == null) {
                counters.deadLetterRecords.increment();
            } else {
                counters.deadLetterFailures.increment();
                log.error(
                        "Could not write a failed record of {}-{} to dead letter topic {}",
                        failure.connector(),
                        failure.task(),
                        config.deadLetterTopic(),
                        error);
            }
        });
    }

    /** The {@code __connect.errors.*} headers for {@code failure}, all UTF-8 text. */
    static List<RawHeader> contextHeaders(FailedOperation failure) {
        OriginalRecord original = failure.record();
        List<RawHeader> headers = new ArrayList<>();
        if (original.topic() != null) {
            headers.add(RawHeader.utf8(ERROR_HEADER_ORIG_TOPIC, original.topic()));
        }
        if (original.partition() != null) {
            headers.add(RawHeader.utf8(
                    ERROR_HEADER_ORIG_PARTITION, original.partition().toString()));
        }
        if (original.offset() != null) {
            headers.add(
                    RawHeader.utf8(ERROR_HEADER_ORIG_OFFSET, original.offset().toString()));
        }
        headers.add(RawHeader.utf8(ERROR_HEADER_CONNECTOR_NAME, failure.connector()));
        headers.add(RawHeader.utf8(ERROR_HEADER_TASK_ID, String.valueOf(failure.task())));
        headers.add(RawHeader.utf8(ERROR_HEADER_STAGE, failure.stage().name()));
        headers.add(RawHeader.utf8(
                ERROR_HEADER_EXECUTING_CLASS, failure.executingClass().getName()));
        Throwable error = failure.error();
        if (error != null) {
            headers.add(RawHeader.utf8(ERROR_HEADER_EXCEPTION, error.getClass().getName()));
            if (error.getMessage() != null) {
                headers.add(RawHeader.utf8(ERROR_HEADER_EXCEPTION_MESSAGE, error.getMessage()));
            }
            headers.add(RawHeader.utf8(ERROR_HEADER_EXCEPTION_STACK_TRACE, stackTrace(error)));
        }
        return headers;
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
