package io.sluice.connect.elasticsearch;

import java.util.Locale;
import java.util.Map;

/** Which index a topic's records go to: an explicit entry, else the topic name lower-cased. Immutable. */
public final class IndexNames {

    private static final String FORBIDDEN = "\\/*?\"<>| ,#:";

    private final Map<String, String> explicit;

    public IndexNames(Map<String, String> explicit) {
        this.explicit = Map.copyOf(explicit);
    }

    public String forTopic(String topic) {
        String index = explicit.get(topic);
        return index != null ? index : topic.toLowerCase(Locale.ROOT);
    }

    /** Why a name is not a valid index name, or null when it is. */
    static String problem(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not a valid index name";
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            return "index '" + name + "' must be lower case";
        }
        if ("-_+".indexOf(name.charAt(0)) >= 0) {
            return "index '" + name + "' must not start with -, _ or +";
        }
        for (char c : name.toCharArray()) {
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "index '" + name + "' must not contain '" + c + "'";
            }
        }
        return null;
    }
}
