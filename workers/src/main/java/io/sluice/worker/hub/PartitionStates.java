package io.sluice.worker.hub;

import io.sluice.core.hub.PartitionRepair;
import io.sluice.core.hub.TopicInfo;
import io.sluice.core.service.ConflictException;
import io.sluice.core.service.NotFoundException;
import io.sluice.log.DamagedRange;
import io.sluice.log.PartitionLog;
import io.sluice.log.PartitionNotDamagedException;
import io.sluice.log.PartitionOfflineException;
import io.sluice.log.RepairFailedException;
import io.sluice.log.RepairResult;
import java.util.List;

/**
 * Turns a partition of the log into the hub's view of it (offsets, size, state and damage) and carries
 * out repairs. Stateless; thread-safe as the partitions are.
 */
final class PartitionStates {

    private PartitionStates() {}

    static TopicInfo.PartitionInfo info(PartitionLog p) {
        return new TopicInfo.PartitionInfo(
                p.topicPartition().partition(),
                p.logStartOffset(),
                p.highWatermark(),
                p.sizeInBytes(),
                TopicInfo.State.valueOf(p.state().name()),
                p.damagedRanges().stream().map(PartitionStates::damage).toList(),
                p.offlineReason());
    }

    static TopicInfo.Damage damage(DamagedRange d) {
        return new TopicInfo.Damage(
                d.file().toString(), d.position(), d.fromOffset(), d.toOffset(), d.bytes(), d.reason());
    }

    /**
     * Repairs partition {@code partition} of {@code topic}: by truncation, or by copy through
     * {@code recopy} (null on a single worker, where there is no other replica).
     */
    static PartitionRepair repair(
            String topic,
            int partition,
            List<PartitionLog> partitions,
            PartitionRepair.Mode mode,
            java.util.function.Supplier<List<RepairResult>> recopy) {
        if (partition < 0 || partition >= partitions.size()) {
            throw new NotFoundException(
                    "Topic " + topic + " has no partition " + partition + " (it has " + partitions.size() + ")");
        }
        PartitionLog p = partitions.get(partition);
        if (mode == PartitionRepair.Mode.RECOPY && recopy == null) {
            throw new ConflictException("Repair mode recopy needs another replica of " + p.topicPartition()
                    + ", and this topic has none (a single worker, or not a replicated topic): use mode truncate");
        }
        try {
            List<RepairResult> results = mode == PartitionRepair.Mode.RECOPY ? recopy.get() : p.repairByTruncation();
            return new PartitionRepair(
                    topic,
                    partition,
                    mode,
                    results.stream()
                            .map(r -> new PartitionRepair.Dropped(
                                    r.file().toString(),
                                    r.position(),
                                    r.fromOffset(),
                                    r.toOffset(),
                                    mode == PartitionRepair.Mode.RECOPY ? 0 : r.offsetsDropped(),
                                    r.bytesDropped(),
                                    r.fileDeleted()))
                            .toList());
        } catch (PartitionNotDamagedException | PartitionOfflineException | RepairFailedException e) {
            throw new ConflictException(e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new ConflictException(e.getMessage(), e);
        }
    }
}
