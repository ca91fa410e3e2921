/**
 * Helpers around Debezium's Postgres connector (hosted unchanged): recommended settings, preflight,
 * slot lag, snapshot progress and cleanup, and {@link io.sluice.connect.jdbc.cdc.PostgresCdcExtension},
 * which offers them to the hub through its extension SPI ({@code io.sluice.core.extension}, provided
 * by the hub at run time). JDBC only; never depends on the worker.
 */
package io.sluice.connect.jdbc.cdc;
