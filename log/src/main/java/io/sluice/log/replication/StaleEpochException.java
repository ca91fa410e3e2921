package io.sluice.log.replication;

import io.sluice.log.LogException;

/**
 * An append or fence carried an epoch lower than the highest the partition has seen from the same
 * producer: the writer was fenced (a newer owner of the producer id exists) and must stop.
 */
public final class StaleEpochException extends LogException {

    private final long producerId;
    private final int epoch;
    private final int currentEpoch;

    public StaleEpochException(String partition, long producerId, int epoch, int currentEpoch) {
        super("producer " + producerId + " is fenced on " + partition + ": its epoch " + epoch
                + " is older than the current epoch " + currentEpoch);
        this.producerId = producerId;
        this.epoch = epoch;
        this.currentEpoch = currentEpoch;
    }

    public long producerId() {
        return producerId;
    }

    public int epoch() {
        return epoch;
    }

    public int currentEpoch() {
        return currentEpoch;
    }
}
