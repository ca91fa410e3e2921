/** Helpers around Debezium's Postgres connector (hosted unchanged): recommended settings and slot lag. JDBC only. */
package io.sluice.connect.jdbc.cdc;
