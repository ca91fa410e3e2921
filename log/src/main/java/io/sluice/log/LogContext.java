package io.sluice.log;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * What every partition of one {@link Log} shares.
 *
 * @param clock wall-clock milliseconds (tests inject their own)
 * @param scheduler background executor for deferred file deletion
 * @param fileDeleteDelayMs how long a removed segment stays readable for fetches already under way
 * @param autoCommit {@code true} on a single node: an append is committed (visible to readers) as soon
 *     as it is durable per the flush policy. {@code false} when replication drives the commit point
 *     through {@link PartitionLog#commitTo(long)}.
 * @param commitSignal bumped whenever any partition's commit point moves
 */
record LogContext(
        LongSupplier clock,
        ScheduledExecutorService scheduler,
        long fileDeleteDelayMs,
        boolean autoCommit,
        CommitSignal commitSignal) {}
