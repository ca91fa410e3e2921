/**
 * Consumer-group offsets (the position of each sink task per topic partition), stored in the
 * internal compacted topic {@code __consumer_offsets} of the log. Depends on {@code io.sluice.log}.
 */
package io.sluice.log.offsets;
