/** Segment files and their offset and time indexes: the log's storage layer. Used by {@code io.sluice.log}. */
package io.sluice.log.segment;
