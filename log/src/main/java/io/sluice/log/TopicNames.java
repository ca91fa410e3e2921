package io.sluice.log;

import java.util.regex.Pattern;

/** Topic name rules (Kafka's): 1 to 249 characters of letters, digits, '.', '_' and '-'; not "." or "..". */
public final class TopicNames {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private TopicNames() {}

    public static void validate(String name) {
        if (name == null || !LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new InvalidConfigException(java.util.List.of("topic name '" + name
                    + "' is invalid: use 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-'"));
        }
    }
}
