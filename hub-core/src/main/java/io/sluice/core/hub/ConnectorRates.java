package io.sluice.core.hub;

/**
 * A connector's throughput for the UI. Immutable.
 *
 * @param type {@code source}, {@code sink} or {@code unknown}
 * @param recordsTotal records written to the log (source) or delivered (sink) by its current tasks
 * @param recordsPerSecond the recent rate, averaged over the last sampling interval
 * @param lag for a sink, records in the log it has not committed yet; 0 for a source
 */
public record ConnectorRates(String connector, String type, long recordsTotal, double recordsPerSecond, long lag) {}
