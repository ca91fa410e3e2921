package io.sluice.core.errors;

import java.nio.charset.StandardCharsets;

/** A record header as stored: a key and the serialised value (may be null). Immutable reference. */
public record RawHeader(String key, byte[] value) {

    /** A header holding {@code text} as UTF-8. */
    public static RawHeader utf8(String key, String text) {
        return new RawHeader(key, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }
}
