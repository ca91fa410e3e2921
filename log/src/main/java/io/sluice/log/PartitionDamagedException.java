package io.sluice.log;

/** A fetch reached a {@linkplain DamagedRange damaged range} of a partition; records outside it stay readable. */
public class PartitionDamagedException extends LogException {

    private final transient DamagedRange range;

    public PartitionDamagedException(TopicPartition tp, DamagedRange range) {
        super(tp + ": " + range.describe() + "; repair the partition (see the README, 'Repairing a damaged"
                + " partition') or read from offset " + range.toOffset());
        this.range = range;
    }

    public DamagedRange range() {
        return range;
    }
}
