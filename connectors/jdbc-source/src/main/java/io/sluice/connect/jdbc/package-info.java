/**
 * The JDBC polling source connector ({@link io.sluice.connect.jdbc.JdbcSourceConnector}) and its
 * settings. Postgres CDC is Debezium's own connector, which this module puts on the classpath; the
 * {@code cdc} package holds small helpers around it. Depends on connect-api, HikariCP and JDBC only.
 */
package io.sluice.connect.jdbc;
