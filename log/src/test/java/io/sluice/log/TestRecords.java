package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Records whose whole content is a function of the offset they are appended at, so that a reader can
 * check every record it gets back without knowing what the writer did (the writer may even be a
 * killed process).
 */
final class TestRecords {

    static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    private TestRecords() {}

    /** The record appended at {@code offset}; keys are unique per offset. */
    static Record forOffset(long offset) {
        return withKey(offset, ("key-" + offset).getBytes(StandardCharsets.UTF_8), false);
    }

    /** The record appended at {@code offset} to a topic keyed by {@code key}, a tombstone when asked. */
    static Record withKey(long offset, byte[] key, boolean tombstone) {
        SplittableRandom random = new SplittableRandom(offset * 0x9E3779B97F4A7C15L + 17);
        byte[] value = null;
        if (!tombstone) {
            value = new byte[random.nextInt(400)];
            random.nextBytes(value);
        }
        List<Header> headers = List.of(
                new Header("offset", ByteBuffer.allocate(8).putLong(offset).array()),
                new Header("empty", random.nextBoolean() ? null : new byte[0]));
        return new Record(key, value, headers, BASE_TIMESTAMP + offset);
    }

    static List<Record> range(long fromOffset, int count) {
        List<Record> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(forOffset(fromOffset + i));
        }
        return out;
    }

    /** Asserts that {@code r} is exactly the record {@link #forOffset} gives for its offset. */
    static void assertIsOriginal(StoredRecord r) {
        assertThat(r.toRecord())
                .as("content of the record at offset %d", r.offset())
                .isEqualTo(forOffset(r.offset()));
    }
}
