package io.sluice.worker.store;

/**
 * The assignment a task writes offsets under: in a cluster, the metadata group refuses an offset
 * commit carrying an epoch older than one the same task already committed under, so a task that lost
 * its assignment (its worker was declared dead, the task moved) cannot overwrite the new owner's
 * offsets.
 *
 * @param connector the connector name
 * @param task the task index
 * @param epoch the epoch of the task's assignment
 */
public record TaskEpoch(String connector, int task, long epoch) {

    @Override
    public String toString() {
        return connector + "-" + task + " at epoch " + epoch;
    }
}
