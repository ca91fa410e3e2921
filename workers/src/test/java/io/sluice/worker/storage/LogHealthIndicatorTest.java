package io.sluice.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The log's health: UP when whole, OUT_OF_SERVICE naming a damaged range, UP again after a repair. */
class LogHealthIndicatorTest {

    @TempDir
    Path dir;

    @Test
    void shouldReportADamagedClosedSegmentOutOfServiceNamingThePartitionAndRange() throws IOException {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("orders", Map.of("segment.bytes", "4096", "retention.ms", "-1"));
            PartitionLog p = log.partition("orders", 0);
            for (int i = 0; i < 60; i++) {
                p.append(List.of(new Record(new byte[] {(byte) i}, new byte[300], List.of(), 1_700_000_000_000L + i)));
            }
            assertThat(new LogHealthIndicator(log).health().getStatus()).isEqualTo(Status.UP);
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("orders").resolve("0"))) {
            segment = files.filter(f -> f.toString().endsWith(".log"))
                    .sorted()
                    .toList()
                    .get(1);
        }
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.seek(raf.length() - 10);
            raf.write(raf.read() ^ 0x01);
        }
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            Health health = new LogHealthIndicator(log).health();
            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(health.getDetails().get("damagedPartitions").toString())
                    .contains("orders-0")
                    .contains(segment.toString())
                    .contains("fromOffset")
                    .contains("CRC");
            assertThat(health.getDetails().get("repair").toString()).contains("/repair");
            log.partition("orders", 0).repairByTruncation();
            assertThat(new LogHealthIndicator(log).health().getStatus()).isEqualTo(Status.UP);
        }
    }
}
