package io.sluice.worker.runtime;

import io.sluice.core.service.BadRequestException;

/**
 * Rules for connector names: 1 to 249 characters, not blank, no '/', no control characters, and no
 * '\\' or unpaired UTF-16 surrogate: such a name could never be addressed in a URL path (the
 * server refuses an encoded backslash; a lone surrogate has no UTF-8 form), so it could not be read
 * or deleted once created.
 */
final class ConnectorNames {

    static final int MAX_LENGTH = 249;

    private ConnectorNames() {}

    static void validate(String name) {
        if (name == null || name.isBlank()) {
            throw new BadRequestException("Connector name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new BadRequestException(
                    "Connector name is " + name.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c) || isUnpairedSurrogate(name, i)) {
                throw new BadRequestException("Connector name must not contain '/', '\\', control characters or"
                        + " unpaired surrogates (found U+" + String.format("%04X", (int) c) + " at position " + i
                        + ")");
            }
        }
    }

    private static boolean isUnpairedSurrogate(String name, int i) {
        char c = name.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(name.charAt(i - 1));
        }
        return false;
    }
}
