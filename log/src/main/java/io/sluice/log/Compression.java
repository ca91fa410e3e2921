package io.sluice.log;

import java.util.Locale;

/** Compression of a record batch's entries. The id is stored in the batch attributes (bits 0-2). */
public enum Compression {
    NONE(0),
    LZ4(1),
    ZSTD(2);

    private final int id;

    Compression(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static Compression fromId(int id) {
        for (Compression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression id " + id);
    }

    /** Parses a {@code compression.type} value: {@code none}, {@code lz4} or {@code zstd}. */
    public static Compression parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
