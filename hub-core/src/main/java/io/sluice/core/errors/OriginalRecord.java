package io.sluice.core.errors;

import java.util.List;

/**
 * The record a failed operation was working on, as bytes: for a sink, the record fetched from the
 * log; for a source, the record as the worker serialised it (fields may be null when the failure
 * came before serialisation). This is what goes to the dead-letter queue. Immutable reference.
 *
 * @param partition null when not known (source records before they are appended)
 * @param offset null when not known
 */
public record OriginalRecord(
        String topic, Integer partition, Long offset, byte[] key, byte[] value, List<RawHeader> headers) {

    public OriginalRecord {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }
}
