/** SQL column types to Connect schemas and values. Depends on connect-api data types and JDBC only. */
package io.sluice.connect.jdbc.schema;
