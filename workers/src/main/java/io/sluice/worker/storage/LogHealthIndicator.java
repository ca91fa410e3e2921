package io.sluice.worker.storage;

import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/** Reports the log DOWN while any partition is offline, naming each with its reason. */
public class LogHealthIndicator extends AbstractHealthIndicator {

    private final Log log;

    public LogHealthIndicator(Log log) {
        this.log = log;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> offline = new TreeMap<>();
        int partitions = 0;
        for (String topic : log.topics()) {
            for (PartitionLog p : log.partitionsOf(topic)) {
                partitions++;
                if (!p.isOnline()) {
                    offline.put(p.topicPartition().toString(), p.offlineReason());
                }
            }
        }
        builder.withDetail("topics", log.topics().size()).withDetail("partitions", partitions);
        if (offline.isEmpty()) {
            builder.up();
        } else {
            builder.down().withDetail("offlinePartitions", offline);
        }
    }
}
