package io.sluice.connect.jdbc.schema;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns rows of one result shape into Connect {@link Struct}s: the value schema plus one reader per
 * mapped column (skipped columns have none). Immutable; built by {@link ColumnMapping}.
 */
public final class RowMapper {

    private final Schema schema;
    private final int[] columnIndexes;
    private final List<ColumnReader> readers;

    RowMapper(Schema schema, int[] columnIndexes, List<ColumnReader> readers) {
        this.schema = schema;
        this.columnIndexes = columnIndexes;
        this.readers = List.copyOf(readers);
    }

    public Schema schema() {
        return schema;
    }

    /** The current row of {@code rs}. */
    public Struct map(ResultSet rs) throws SQLException {
        Struct struct = new Struct(schema);
        for (int i = 0; i < columnIndexes.length; i++) {
            struct.put(schema.fields().get(i), readers.get(i).read(rs, columnIndexes[i]));
        }
        return struct;
    }
}
