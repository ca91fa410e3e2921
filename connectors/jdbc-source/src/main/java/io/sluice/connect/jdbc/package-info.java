/** JDBC polling source and Postgres CDC hosting. Depends on connect-api only. */
package io.sluice.connect.jdbc;
