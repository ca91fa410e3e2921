package io.sluice.core.hub;

import java.util.List;

/**
 * A stored record decoded for reading, as {@code kcat} prints one: key, value and header values as
 * UTF-8 text when they are valid UTF-8, otherwise base64 (the encoding says which). A null key or
 * value (a tombstone) stays null. Immutable.
 */
public record RecordView(long offset, long timestamp, Payload key, Payload value, List<HeaderView> headers) {

    public RecordView {
        headers = List.copyOf(headers);
    }

    /** Bytes rendered as text; {@code encoding} is {@code utf8} or {@code base64}. */
    public record Payload(String text, String encoding, int size) {}

    /** One record header. */
    public record HeaderView(String key, Payload value) {}
}
