package io.sluice.log;

import java.util.List;

/** Topic or log settings with bad values; the message names every bad setting and its value. */
public class InvalidConfigException extends LogException {

    private final List<String> errors;

    public InvalidConfigException(List<String> errors) {
        super("Invalid settings: " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    /** One message per bad setting, each starting with the setting's name. */
    public List<String> errors() {
        return errors;
    }
}
