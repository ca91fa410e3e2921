package io.sluice.core.errors;

import java.util.Locale;

/** Values of {@code errors.tolerance}. Immutable. */
public enum ToleranceType {
    /** The first record error fails the task. */
    NONE,
    /** Record errors are skipped, counted and reported. */
    ALL;

    /** Parses {@code none} or {@code all}, ignoring case. */
    public static ToleranceType parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
