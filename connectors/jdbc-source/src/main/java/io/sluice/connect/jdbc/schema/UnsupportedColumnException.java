package io.sluice.connect.jdbc.schema;

import org.apache.kafka.connect.errors.ConnectException;

/** A column whose SQL type has no Connect mapping, with {@code unsupported.column.behavior=fail}. */
public final class UnsupportedColumnException extends ConnectException {

    public UnsupportedColumnException(String source, String column, String typeName) {
        super("Column " + column + " of " + source + " has type " + typeName
                + ", which has no Connect mapping; set unsupported.column.behavior=skip to leave it out, "
                + "or cast it in a custom query");
    }
}
