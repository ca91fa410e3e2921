package io.sluice.core.audit;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One change asked of the hub. Never holds a request body (it may carry secrets). Immutable.
 *
 * @param timestamp when it was answered, epoch milliseconds
 * @param user the authenticated user, or {@code anonymous}
 * @param remoteAddress the caller's address
 * @param method the HTTP method
 * @param path the path and query asked for
 * @param status the HTTP status answered (403 for a role that may not)
 * @param worker the worker that answered (filled in by the trail)
 */
public record AuditEvent(
        @JsonProperty("timestamp") long timestamp,
        @JsonProperty("user") String user,
        @JsonProperty("remote_address") String remoteAddress,
        @JsonProperty("method") String method,
        @JsonProperty("path") String path,
        @JsonProperty("status") int status,
        @JsonProperty("worker") String worker) {

    /** This event as answered by {@code workerId}. */
    public AuditEvent on(String workerId) {
        return new AuditEvent(timestamp, user, remoteAddress, method, path, status, workerId);
    }
}
