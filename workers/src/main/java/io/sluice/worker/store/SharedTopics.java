package io.sluice.worker.store;

/**
 * The compacted topics a cluster shares through its metadata group: connector configs (with the
 * cluster's membership and assignment records), statuses and, in a cluster, source offsets. On a single worker there is no such
 * bean and the runtime opens both topics locally.
 */
public record SharedTopics(CompactedTopicMap configs, CompactedTopicMap status, CompactedTopicMap offsets) {

    /** Configs and statuses shared; source offsets ({@code offsets} null) kept by the runtime itself. */
    public SharedTopics(CompactedTopicMap configs, CompactedTopicMap status) {
        this(configs, status, null);
    }
}
