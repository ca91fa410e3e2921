package io.sluice.connect.jdbc.schema;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads one column of the current row as a Connect value (null for SQL NULL). Stateless. */
@FunctionalInterface
public interface ColumnReader {
    Object read(ResultSet rs, int index) throws SQLException;
}
