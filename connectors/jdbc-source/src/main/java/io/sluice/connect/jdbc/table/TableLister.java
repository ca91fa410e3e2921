package io.sluice.connect.jdbc.table;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lists the tables a connector copies: those of the configured types (and schema pattern) that pass
 * the include list (empty = all) and are not on the exclude list. Stateless; blocks on the database.
 */
public final class TableLister {

    private static final Set<String> SYSTEM_SCHEMAS =
            Set.of("information_schema", "pg_catalog", "pg_toast", "sys", "mysql", "performance_schema");

    private final String schemaPattern;
    private final List<String> tableTypes;
    private final List<String> include;
    private final List<String> exclude;

    public TableLister(String schemaPattern, List<String> tableTypes, List<String> include, List<String> exclude) {
        this.schemaPattern = schemaPattern == null || schemaPattern.isBlank() ? null : schemaPattern;
        this.tableTypes = List.copyOf(tableTypes);
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    /** The matching tables, sorted by name. */
    public Set<TableId> list(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        // MySQL/MariaDB keep tables in catalogs (databases): look only in the connection's own.
        boolean catalogs = metaData.getSchemaTerm() == null
                || metaData.getSchemaTerm().isBlank()
                || metaData.getDatabaseProductName().toLowerCase().matches(".*(mysql|mariadb).*");
        String catalog = catalogs ? connection.getCatalog() : null;
        Set<TableId> tables = new TreeSet<>();
        try (ResultSet rs = metaData.getTables(catalog, schemaPattern, "%", tableTypes.toArray(String[]::new))) {
            while (rs.next()) {
                String namespace = catalogs ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM");
                if (namespace != null && SYSTEM_SCHEMAS.contains(namespace.toLowerCase())) {
                    continue;
                }
                TableId table = new TableId(namespace, rs.getString("TABLE_NAME"));
                if (selected(table)) {
                    tables.add(table);
                }
            }
        }
        return tables;
    }

    boolean selected(TableId table) {
        if (!include.isEmpty() && include.stream().noneMatch(table::matches)) {
            return false;
        }
        return exclude.stream().noneMatch(table::matches);
    }
}
