package io.sluice.worker.runtime;

import io.sluice.core.service.BadRequestException;

/** Rules for connector names: 1 to 249 characters, no '/', no control characters, not blank. */
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
            if (c == '/' || Character.isISOControl(c)) {
                throw new BadRequestException("Connector name must not contain '/' or control characters (found U+"
                        + String.format("%04X", (int) c) + " at position " + i + ")");
            }
        }
    }
}
