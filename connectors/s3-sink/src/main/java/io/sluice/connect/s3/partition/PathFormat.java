package io.sluice.connect.s3.partition;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Reads Confluent's {@code path.format}, a Joda-Time pattern, as a {@link DateTimeFormatter}. The two
 * pattern languages agree except on years: Joda's {@code Y} (year of era) is {@code y} here and Joda's
 * {@code x} (week year) is {@code Y} here; both are translated outside quoted text.
 */
public final class PathFormat {

    private PathFormat() {}

    /** @throws IllegalArgumentException if the pattern is not valid */
    public static DateTimeFormatter formatter(String jodaPattern, Locale locale) {
        StringBuilder javaPattern = new StringBuilder(jodaPattern.length());
        boolean quoted = false;
        for (char c : jodaPattern.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                javaPattern.append(c);
            } else if (!quoted && c == 'Y') {
                javaPattern.append('y');
            } else if (!quoted && c == 'x') {
                javaPattern.append('Y');
            } else {
                javaPattern.append(c);
            }
        }
        return DateTimeFormatter.ofPattern(javaPattern.toString(), locale);
    }
}
