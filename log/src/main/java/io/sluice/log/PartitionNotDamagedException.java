package io.sluice.log;

/** A repair was asked for a partition that has no damaged range. */
public class PartitionNotDamagedException extends LogException {

    public PartitionNotDamagedException(TopicPartition tp, PartitionState state) {
        super(tp + " is not damaged (it is " + state + "): there is nothing to repair");
    }
}
