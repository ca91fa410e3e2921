package io.sluice.connect.jdbc.schema;

import io.sluice.connect.jdbc.JdbcSourceConfig.NumericMapping;
import io.sluice.connect.jdbc.JdbcSourceConfig.UnsupportedColumnBehavior;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps SQL column types to Connect schemas and readers.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>SQL</th><th>Connect</th></tr>
 *   <tr><td>BOOLEAN, BIT</td><td>BOOLEAN</td></tr>
 *   <tr><td>TINYINT, SMALLINT, INTEGER, BIGINT</td><td>INT8, INT16, INT32, INT64</td></tr>
 *   <tr><td>REAL; FLOAT, DOUBLE</td><td>FLOAT32; FLOAT64</td></tr>
 *   <tr><td>NUMERIC(p,s), DECIMAL(p,s)</td><td>{@code Decimal} with scale s; with {@code numeric.mapping}
 *       best_fit/precision_only and p &lt; 19, INT8..INT64 when s = 0; best_fit FLOAT64 when s &gt; 0.
 *       Unconstrained {@code numeric} (no precision): FLOAT64 with best_fit, else STRING (exact text).</td></tr>
 *   <tr><td>CHAR, VARCHAR, TEXT, CLOB, uuid, json, jsonb</td><td>STRING</td></tr>
 *   <tr><td>BINARY, VARBINARY, BLOB, bytea</td><td>BYTES</td></tr>
 *   <tr><td>DATE; TIME</td><td>{@code Date}; {@code Time} (millisecond precision)</td></tr>
 *   <tr><td>TIMESTAMP WITH TIME ZONE</td><td>{@code Timestamp}: the instant</td></tr>
 *   <tr><td>TIMESTAMP (without zone), DATETIME</td><td>{@code Timestamp}: the local time read in {@code db.timezone}</td></tr>
 *   <tr><td>ARRAY of the scalar types above (PostgreSQL)</td><td>ARRAY of optional elements</td></tr>
 * </table>
 *
 * <p>Columns are optional when the database says they may be NULL. Anything else (interval,
 * geometric types, timetz, XML, ...) is an unsupported column. Immutable and thread-safe.
 */
public final class ColumnMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ColumnMapping.class);
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final NumericMapping numericMapping;
    private final ZoneId dbZone;
    private final UnsupportedColumnBehavior unsupported;

    public ColumnMapping(NumericMapping numericMapping, ZoneId dbZone, UnsupportedColumnBehavior unsupported) {
        this.numericMapping = numericMapping;
        this.dbZone = dbZone;
        this.unsupported = unsupported;
    }

    /**
     * The mapper for a result of this shape.
     *
     * @param source names the table or query in errors and is the struct schema's name
     * @throws UnsupportedColumnException for an unmappable column when the behaviour is {@code fail}
     */
    public RowMapper mapperFor(String source, ResultSetMetaData md) throws SQLException {
        SchemaBuilder struct = SchemaBuilder.struct().name(source);
        List<Integer> indexes = new ArrayList<>();
        List<ColumnReader> readers = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String column = md.getColumnLabel(i);
            boolean optional = md.isNullable(i) != ResultSetMetaData.columnNoNulls;
            Column mapped = map(md.getColumnType(i), md.getColumnTypeName(i), md.getPrecision(i), md.getScale(i));
            if (mapped == null) {
                if (unsupported == UnsupportedColumnBehavior.FAIL) {
                    throw new UnsupportedColumnException(source, column, md.getColumnTypeName(i));
                }
                LOG.debug(
                        "Skipping column {} of {}: type {} has no Connect mapping",
                        column,
                        source,
                        md.getColumnTypeName(i));
                continue;
            }
            SchemaBuilder fieldSchema = mapped.schema();
            struct.field(column, optional ? fieldSchema.optional().build() : fieldSchema.build());
            indexes.add(i);
            readers.add(mapped.reader());
        }
        return new RowMapper(
                struct.build(), indexes.stream().mapToInt(Integer::intValue).toArray(), readers);
    }

    private record Column(SchemaBuilder schema, ColumnReader reader) {}

    private Column map(int sqlType, String typeName, int precision, int scale) {
        String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        switch (sqlType) {
            case Types.BOOLEAN, Types.BIT:
                return new Column(SchemaBuilder.bool(), (rs, i) -> nullable(rs, rs.getBoolean(i)));
            case Types.TINYINT:
                return new Column(SchemaBuilder.int8(), (rs, i) -> nullable(rs, rs.getByte(i)));
            case Types.SMALLINT:
                return new Column(SchemaBuilder.int16(), (rs, i) -> nullable(rs, rs.getShort(i)));
            case Types.INTEGER:
                // MySQL's INT UNSIGNED does not fit INT32.
                return type.contains("unsigned")
                        ? new Column(SchemaBuilder.int64(), (rs, i) -> nullable(rs, rs.getLong(i)))
                        : new Column(SchemaBuilder.int32(), (rs, i) -> nullable(rs, rs.getInt(i)));
            case Types.BIGINT:
                return type.contains("unsigned")
                        ? decimal(20, 0)
                        : new Column(SchemaBuilder.int64(), (rs, i) -> nullable(rs, rs.getLong(i)));
            case Types.REAL:
                return new Column(SchemaBuilder.float32(), (rs, i) -> nullable(rs, rs.getFloat(i)));
            case Types.FLOAT, Types.DOUBLE:
                return type.equals("float4") || type.equals("float")
                        ? new Column(SchemaBuilder.float32(), (rs, i) -> nullable(rs, rs.getFloat(i)))
                        : new Column(SchemaBuilder.float64(), (rs, i) -> nullable(rs, rs.getDouble(i)));
            case Types.NUMERIC, Types.DECIMAL:
                return numeric(precision, scale);
            case Types.CHAR,
                    Types.VARCHAR,
                    Types.LONGVARCHAR,
                    Types.NCHAR,
                    Types.NVARCHAR,
                    Types.LONGNVARCHAR,
                    Types.CLOB,
                    Types.NCLOB:
                return string();
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
                return new Column(SchemaBuilder.bytes(), (rs, i) -> rs.getBytes(i));
            case Types.DATE:
                return new Column(Date.builder(), (rs, i) -> {
                    LocalDate date = rs.getObject(i, LocalDate.class);
                    return date == null ? null : new java.util.Date(date.toEpochDay() * MILLIS_PER_DAY);
                });
            case Types.TIME:
                if (type.equals("timetz")) {
                    return null;
                }
                return new Column(Time.builder(), (rs, i) -> {
                    LocalTime time = rs.getObject(i, LocalTime.class);
                    return time == null ? null : new java.util.Date(time.toNanoOfDay() / 1_000_000L);
                });
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return instant();
            case Types.TIMESTAMP:
                return type.equals("timestamptz") ? instant() : localTimestamp();
            case Types.OTHER:
                return switch (type) {
                    case "uuid", "json", "jsonb", "citext", "inet", "cidr", "macaddr", "xml" ->
                        type.equals("xml") ? null : string();
                    default -> null;
                };
            case Types.ARRAY:
                return array(type);
            default:
                return null;
        }
    }

    private Column string() {
        return new Column(SchemaBuilder.string(), (rs, i) -> rs.getString(i));
    }

    private Column instant() {
        return new Column(Timestamp.builder(), (rs, i) -> {
            OffsetDateTime value = rs.getObject(i, OffsetDateTime.class);
            return value == null ? null : java.util.Date.from(value.toInstant());
        });
    }

    private Column localTimestamp() {
        return new Column(Timestamp.builder(), (rs, i) -> {
            LocalDateTime value = rs.getObject(i, LocalDateTime.class);
            return value == null
                    ? null
                    : java.util.Date.from(value.atZone(dbZone).toInstant());
        });
    }

    private Column numeric(int precision, int scale) {
        if (precision <= 0) {
            // Unconstrained numeric: no fixed scale, so no Connect Decimal can hold every value.
            return numericMapping == NumericMapping.BEST_FIT
                    ? new Column(SchemaBuilder.float64(), (rs, i) -> nullable(rs, rs.getDouble(i)))
                    : new Column(SchemaBuilder.string(), (rs, i) -> {
                        BigDecimal value = rs.getBigDecimal(i);
                        return value == null ? null : value.toPlainString();
                    });
        }
        if (numericMapping != NumericMapping.NONE && precision < 19) {
            if (scale == 0) {
                if (precision > 9) {
                    return new Column(SchemaBuilder.int64(), (rs, i) -> nullable(rs, rs.getLong(i)));
                } else if (precision > 4) {
                    return new Column(SchemaBuilder.int32(), (rs, i) -> nullable(rs, rs.getInt(i)));
                } else if (precision > 2) {
                    return new Column(SchemaBuilder.int16(), (rs, i) -> nullable(rs, rs.getShort(i)));
                }
                return new Column(SchemaBuilder.int8(), (rs, i) -> nullable(rs, rs.getByte(i)));
            }
            if (scale > 0 && numericMapping == NumericMapping.BEST_FIT) {
                return new Column(SchemaBuilder.float64(), (rs, i) -> nullable(rs, rs.getDouble(i)));
            }
        }
        return decimal(precision, scale);
    }

    private Column decimal(int precision, int scale) {
        SchemaBuilder schema =
                Decimal.builder(scale).parameter("connect.decimal.precision", Integer.toString(precision));
        return new Column(schema, (rs, i) -> {
            BigDecimal value = rs.getBigDecimal(i);
            return value == null ? null : value.setScale(scale, java.math.RoundingMode.UNNECESSARY);
        });
    }

    private Column array(String type) {
        if (!type.startsWith("_")) {
            return null;
        }
        Element element = element(type.substring(1));
        if (element == null) {
            return null;
        }
        return new Column(SchemaBuilder.array(element.schema()), (rs, i) -> {
            Array array = rs.getArray(i);
            if (array == null) {
                return null;
            }
            try {
                Object[] values = (Object[]) array.getArray();
                return Arrays.stream(values)
                        .map(v -> v == null ? null : element.convert().apply(v))
                        .toList();
            } finally {
                array.free();
            }
        });
    }

    private record Element(Schema schema, Function<Object, Object> convert) {}

    private static Element element(String type) {
        return switch (type) {
            case "bool" -> new Element(Schema.OPTIONAL_BOOLEAN_SCHEMA, v -> v);
            case "int2" -> new Element(Schema.OPTIONAL_INT16_SCHEMA, v -> ((Number) v).shortValue());
            case "int4" -> new Element(Schema.OPTIONAL_INT32_SCHEMA, v -> ((Number) v).intValue());
            case "int8" -> new Element(Schema.OPTIONAL_INT64_SCHEMA, v -> ((Number) v).longValue());
            case "float4" -> new Element(Schema.OPTIONAL_FLOAT32_SCHEMA, v -> ((Number) v).floatValue());
            case "float8" -> new Element(Schema.OPTIONAL_FLOAT64_SCHEMA, v -> ((Number) v).doubleValue());
            case "text", "varchar", "bpchar", "uuid", "json", "jsonb" ->
                new Element(Schema.OPTIONAL_STRING_SCHEMA, Object::toString);
            default -> null;
        };
    }

    private static Object nullable(java.sql.ResultSet rs, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }
}
