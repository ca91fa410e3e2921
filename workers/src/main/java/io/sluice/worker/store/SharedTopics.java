package io.sluice.worker.store;

/**
 * The compacted topics a cluster shares through its metadata group: connector configs (with the
 * cluster's membership and assignment records) and statuses. On a single worker there is no such
 * bean and the runtime opens both topics locally.
 */
public record SharedTopics(CompactedTopicMap configs, CompactedTopicMap status) {}
