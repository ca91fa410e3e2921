package io.sluice.core.errors;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each tolerated failure at ERROR with the stage, class and record coordinates; with {@code
 * errors.log.include.messages} also the record's key, value and header names. It logs record data
 * only, never connector configs (which may hold passwords). Thread-safe.
 */
public final class LogReporter implements ErrorReporter {

    private static final Logger log = LoggerFactory.getLogger(LogReporter.class);
    private static final int MAX_SHOWN_BYTES = 1024;

    private final boolean includeMessages;
    private final ErrorCounters counters;

    public LogReporter(boolean includeMessages, ErrorCounters counters) {
        this.includeMessages = includeMessages;
        this.counters = counters;
    }

    @Override
    public CompletableFuture<Void> report(FailedOperation failure) {
        log.error(message(failure), failure.error());
        counters.errorsLogged.increment();
        return CompletableFuture.completedFuture(null);
    }

    /** The log line for {@code failure}, without the stack trace (logged with it). */
    String message(FailedOperation failure) {
        OriginalRecord record = failure.record();
        StringBuilder line = new StringBuilder()
                .append("Error in task ")
                .append(failure.connector())
                .append('-')
                .append(failure.task())
                .append(" after ")
                .append(failure.attempts())
                .append(" attempt(s), executing stage '")
                .append(failure.stage())
                .append("' with class '")
                .append(failure.executingClass().getName())
                .append("', where the record is {topic='")
                .append(record.topic())
                .append("', partition=")
                .append(record.partition())
                .append(", offset=")
                .append(record.offset());
        if (includeMessages) {
            line.append(", key=")
                    .append(show(record.key()))
                    .append(", value=")
                    .append(show(record.value()))
                    .append(", headers=")
                    .append(record.headers().stream().map(RawHeader::key).toList());
        }
        return line.append("}.").toString();
    }

    private static String show(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        int shown = Math.min(bytes.length, MAX_SHOWN_BYTES);
        String text = new String(bytes, 0, shown, StandardCharsets.UTF_8);
        return "'" + text + "'" + (shown < bytes.length ? "... (" + bytes.length + " bytes)" : "");
    }
}
