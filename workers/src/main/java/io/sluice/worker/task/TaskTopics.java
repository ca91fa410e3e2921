package io.sluice.worker.task;

import io.sluice.log.Log;

/**
 * Where tasks' data topics live: source tasks write through {@code writer}, sink tasks read
 * {@code readLog} and commit to {@code sinkOffsets}. On a single worker: the worker's log and its
 * consumer offsets; in a cluster the replicated partitions, this worker's local replicas of them, and
 * sink offsets shared through the metadata group.
 */
public record TaskTopics(TopicWriter writer, Log readLog, SinkOffsets sinkOffsets) {}
