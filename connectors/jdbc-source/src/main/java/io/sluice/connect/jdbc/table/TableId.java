package io.sluice.connect.jdbc.table;

import java.util.Objects;

/**
 * A table's name: its namespace (schema on PostgreSQL, database/catalog on MySQL and MariaDB; may be
 * null) and its name. {@link #toString()} is {@code namespace.name}, the form used in task configs,
 * source partitions and include/exclude lists; {@link #parse} reads it back (splitting at the first dot).
 */
public record TableId(String namespace, String name) implements Comparable<TableId> {

    public TableId {
        Objects.requireNonNull(name, "name");
    }

    public static TableId parse(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? new TableId(null, text) : new TableId(text.substring(0, dot), text.substring(dot + 1));
    }

    /** True when {@code listed} (from an include/exclude list) names this table, qualified or not. */
    public boolean matches(String listed) {
        String entry = listed.trim();
        return entry.equalsIgnoreCase(name) || entry.equalsIgnoreCase(toString());
    }

    /** The name quoted for SQL with the driver's identifier quote ({@code "} or {@code `}). */
    public String quoted(String quote) {
        return namespace == null ? quote(name, quote) : quote(namespace, quote) + "." + quote(name, quote);
    }

    public static String quote(String identifier, String quote) {
        if (quote == null || quote.isBlank()) {
            return identifier;
        }
        return quote + identifier.replace(quote, quote + quote) + quote;
    }

    @Override
    public int compareTo(TableId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return namespace == null ? name : namespace + "." + name;
    }
}
