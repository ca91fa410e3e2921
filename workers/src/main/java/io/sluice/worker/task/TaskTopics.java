package io.sluice.worker.task;

/**
 * Where tasks' data topics live: source tasks write through {@code writer}, sink tasks read through
 * {@code reader} and commit to {@code sinkOffsets}. On a single worker: the worker's log and its
 * consumer offsets; in a cluster the replicated partitions (read from a local replica or the
 * partition's leader), and sink offsets shared through the metadata group.
 */
public record TaskTopics(TopicWriter writer, TopicReader reader, SinkOffsets sinkOffsets) {}
