package io.sluice.log.replication;

/** No node of the cluster hosts a Raft group for the partition asked for. */
public final class NotReplicatedException extends ReplicationException {

    public NotReplicatedException(String message) {
        super(message);
    }
}
