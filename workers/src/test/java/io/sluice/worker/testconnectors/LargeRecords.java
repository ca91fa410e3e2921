package io.sluice.worker.testconnectors;

import java.util.SplittableRandom;

/**
 * The values of {@link LargeRecordSourceConnector}: record n is {@code n=<n>,len=<len>,} followed by
 * letters that are a function of n, {@code len} characters in all, so a sink can check every byte.
 * Sizes: mostly rows of 2-10 KB, one in five a document of up to {@code maxBytes}.
 */
public final class LargeRecords {

    private LargeRecords() {}

    public static int size(long n, int maxBytes) {
        SplittableRandom r = new SplittableRandom(n * 0x9E3779B97F4A7C15L + 1);
        return r.nextInt(5) == 0 ? 2048 + r.nextInt(Math.max(1, maxBytes - 2048)) : 2048 + r.nextInt(8 * 1024);
    }

    public static String value(long n, int len) {
        StringBuilder b = new StringBuilder(len);
        b.append("n=").append(n).append(",len=").append(len).append(',');
        for (int i = b.length(); i < len; i++) {
            b.append((char) ('a' + (int) ((n + i) % 26)));
        }
        return b.toString();
    }

    /** The record number of a value, or -1 when the value is not exactly what the source sent for it. */
    public static long check(String value) {
        try {
            int comma = value.indexOf(',');
            long n = Long.parseLong(value.substring(2, comma));
            int len = Integer.parseInt(value.substring(comma + 5, value.indexOf(',', comma + 1)));
            return value.length() == len && value.equals(value(n, len)) ? n : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
