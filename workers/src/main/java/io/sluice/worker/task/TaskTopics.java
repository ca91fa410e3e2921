package io.sluice.worker.task;

import io.sluice.log.Log;

/**
 * Where tasks' data topics live: source tasks write through {@code writer}, sink tasks read
 * {@code readLog}. On a single worker both are the worker's log; in a cluster the replicated
 * partitions and this worker's local replicas of them.
 */
public record TaskTopics(TopicWriter writer, Log readLog) {}
