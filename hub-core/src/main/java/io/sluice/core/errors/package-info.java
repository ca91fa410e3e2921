/**
 * Error handling for record processing: runs a stage (convert, transform, put) with retries for
 * {@link org.apache.kafka.connect.errors.RetriableException} and exponential backoff, then applies
 * the connector's tolerance ({@code errors.tolerance}): fail the task, or skip the record, count it
 * and report it to the log and to a dead-letter queue. Includes the sink tasks' {@link
 * org.apache.kafka.connect.sink.ErrantRecordReporter}.
 *
 * <p>Depends on {@code io.sluice.core.config} and Kafka's connect-api. The dead-letter queue itself
 * is an interface implemented by the worker on the hub's log.
 */
package io.sluice.core.errors;
