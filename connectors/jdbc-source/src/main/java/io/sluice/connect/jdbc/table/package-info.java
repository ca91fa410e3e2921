/** Finding the tables to copy and noticing tables added or dropped while running. JDBC metadata only. */
package io.sluice.connect.jdbc.table;
