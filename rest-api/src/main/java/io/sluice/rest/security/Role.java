package io.sluice.rest.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user may do. Each role includes the ones before it: an operator is also a viewer, an
 * admin also an operator.
 */
public enum Role {
    /** Every read ({@code GET}), the UI read-only. */
    VIEWER,
    /** Pause, resume, restart, stop, topic and offset resets. */
    OPERATOR,
    /** Create, change and delete connectors, log levels, topic repair. */
    ADMIN;

    /** The Spring Security authority of this role. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** This role and every role it includes, as authorities. */
    public List<String> authorities() {
        return Arrays.stream(values())
                .filter(r -> r.ordinal() <= ordinal())
                .map(Role::authority)
                .toList();
    }

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The role named {@code text} (any case), or {@code null} when there is none. */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(text.trim())) {
                return r;
            }
        }
        return null;
    }

    /** The names users write, for error messages: {@code viewer, operator, admin}. */
    public static String names() {
        return Arrays.stream(values()).map(Role::toString).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
