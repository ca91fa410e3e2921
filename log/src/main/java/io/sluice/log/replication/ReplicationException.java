package io.sluice.log.replication;

import io.sluice.log.LogException;

/**
 * A replicated operation could not complete: no leader within the timeout, too few replicas up,
 * or the partition's replica reported an error. Whether an append that failed this way was stored
 * is unknown to the caller (it may have been committed just before the failure).
 */
public class ReplicationException extends LogException {

    public ReplicationException(String message) {
        super(message);
    }

    public ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }
}
