package io.sluice.worker.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * Renders a {@link ConfigDef} as Markdown tables, one per group (in the definition's group order,
 * keys by their order in the group): name, type, default, importance, valid values, documentation.
 * The default of a {@code PASSWORD} setting is never printed. Output is deterministic (no object
 * hashes), so a committed page can be compared with a fresh rendering. Stateless.
 */
final class ReferenceTables {

    /** {@code Object.toString()} of something without its own: not documentation, and not stable. */
    private static final Pattern IDENTITY = Pattern.compile(".*(@[0-9a-f]{4,}|\\$\\$Lambda).*", Pattern.DOTALL);

    private ReferenceTables() {}

    /**
     * The tables for {@code def}, headed at {@code level} ("##", "###"). {@code hubDefaults} are values
     * the hub applies when the user does not set them; their default cell shows both.
     */
    static String render(ConfigDef def, String level, Map<String, String> hubDefaults, String hubLabel) {
        StringBuilder md = new StringBuilder();
        for (Map.Entry<String, List<ConfigKey>> group : groups(def).entrySet()) {
            md.append('\n')
                    .append(level)
                    .append(' ')
                    .append(group.getKey())
                    .append("\n\n")
                    .append("| setting | type | default | importance | valid values | description |\n")
                    .append("| --- | --- | --- | --- | --- | --- |\n");
            for (ConfigKey key : group.getValue()) {
                String defaultCell = defaultOf(key);
                if (hubDefaults.containsKey(key.name)) {
                    defaultCell =
                            code(hubDefaults.get(key.name)) + " (" + hubLabel + "; otherwise " + defaultCell + ")";
                }
                md.append("| `")
                        .append(key.name)
                        .append("` | ")
                        .append(key.type.name().toLowerCase())
                        .append(" | ")
                        .append(defaultCell)
                        .append(" | ")
                        .append(
                                key.importance == null
                                        ? ""
                                        : key.importance.name().toLowerCase())
                        .append(" | ")
                        .append(cell(validValues(key)))
                        .append(" | ")
                        .append(cell(key.documentation))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /** The default as a table cell: {@code required} if none, never the value of a password. */
    static String defaultOf(ConfigKey key) {
        if (!key.hasDefault()) {
            return "required";
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            return key.defaultValue == null ? "none" : "(not shown)";
        }
        return key.defaultValue == null ? "none" : code(format(key.defaultValue));
    }

    static String code(String value) {
        return value.isEmpty() ? "\"\"" : "`" + value.replace("|", "\\|").replace("`", "'") + "`";
    }

    private static String format(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(ReferenceTables::format).toList());
        }
        if (value instanceof Class<?> type) {
            return type.getName();
        }
        return String.valueOf(value);
    }

    private static String validValues(ConfigKey key) {
        if (key.validator == null) {
            return "";
        }
        String text = key.validator.toString();
        return text == null || IDENTITY.matcher(text).matches() ? "" : text;
    }

    private static String cell(String text) {
        if (text == null) {
            return "";
        }
        return text.strip().replace("\r", "").replace("\n", " ").replace("|", "\\|");
    }

    private static Map<String, List<ConfigKey>> groups(ConfigDef def) {
        Map<String, List<ConfigKey>> groups = new LinkedHashMap<>();
        for (String group : def.groups()) {
            groups.put(group, new ArrayList<>());
        }
        for (ConfigKey key : def.configKeys().values()) {
            groups.computeIfAbsent(key.group == null ? "Other" : key.group, g -> new ArrayList<>())
                    .add(key);
        }
        groups.values().removeIf(List::isEmpty);
        groups.values().forEach(keys -> keys.sort(Comparator.comparingInt(k -> k.orderInGroup)));
        return groups;
    }
}
