package io.sluice.worker.storage;

import io.sluice.log.DamagedRange;
import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import io.sluice.log.PartitionState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Reports the log DOWN while any partition is offline, naming each with its reason, and OUT_OF_SERVICE
 * while any partition has a damaged range (readable outside it), naming the partition, file, position
 * and offsets so an operator can repair it. Thread-safe (reads the partitions' published state).
 */
public class LogHealthIndicator extends AbstractHealthIndicator {

    private final Log log;

    public LogHealthIndicator(Log log) {
        this.log = log;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> offline = new TreeMap<>();
        Map<String, List<Map<String, Object>>> damaged = new TreeMap<>();
        int partitions = 0;
        for (String topic : log.topics()) {
            for (PartitionLog p : log.partitionsOf(topic)) {
                partitions++;
                PartitionState state = p.state();
                if (state == PartitionState.OFFLINE) {
                    offline.put(p.topicPartition().toString(), p.offlineReason());
                } else if (state == PartitionState.DAMAGED) {
                    damaged.put(
                            p.topicPartition().toString(),
                            p.damagedRanges().stream()
                                    .map(LogHealthIndicator::details)
                                    .toList());
                }
            }
        }
        builder.withDetail("topics", log.topics().size()).withDetail("partitions", partitions);
        if (!damaged.isEmpty()) {
            builder.withDetail("damagedPartitions", damaged)
                    .withDetail(
                            "repair",
                            "POST /hub/topics/{topic}/partitions/{partition}/repair {\"mode\":\"truncate\"} drops the"
                                    + " damaged ranges (see the README, 'Repairing a damaged partition')");
        }
        if (!offline.isEmpty()) {
            builder.down().withDetail("offlinePartitions", offline);
        } else if (!damaged.isEmpty()) {
            builder.status(Status.OUT_OF_SERVICE);
        } else {
            builder.up();
        }
    }

    private static Map<String, Object> details(DamagedRange d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", d.file().toString());
        m.put("position", d.position());
        m.put("fromOffset", d.fromOffset());
        m.put("toOffset", d.toOffset());
        m.put("bytes", d.bytes());
        m.put("reason", d.reason());
        return m;
    }
}
