package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.format.IndexHeader;
import io.sluice.log.format.RecordBatch;
import io.sluice.log.format.SegmentHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins every on-disk format byte for byte against files in {@code src/test/resources/golden}, so a
 * format never changes by accident. After a deliberate change (with a new version number and a
 * reader for the old one), regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class GoldenFormatTest {

    private static final Path GOLDEN = Golden.DIR;
    private static final boolean UPDATE = Golden.UPDATE;

    private static List<Record> sampleRecords() {
        return List.of(
                new Record(
                        "k1".getBytes(StandardCharsets.UTF_8),
                        "value-1".getBytes(StandardCharsets.UTF_8),
                        List.of(new Header("h", new byte[] {1, 2}), new Header("empty", null)),
                        1_700_000_000_000L),
                new Record(null, "no-key".getBytes(StandardCharsets.UTF_8), List.of(), 1_700_000_000_005L),
                new Record("k1".getBytes(StandardCharsets.UTF_8), null, List.of(), 1_699_999_999_990L));
    }

    @Test
    void shouldKeepTheSegmentHeaderLayout() throws IOException {
        ByteBuffer header = new SegmentHeader(42L, 1_700_000_000_000L).encode();
        assertGolden("segment-header.hex", header);
        SegmentHeader decoded = SegmentHeader.decode(read("segment-header.hex"), "golden");
        assertThat(decoded).isEqualTo(new SegmentHeader(42L, 1_700_000_000_000L));
    }

    @Test
    void shouldKeepTheUncompressedBatchLayout() throws IOException {
        ByteBuffer batch = RecordBatch.encode(100L, sampleRecords(), Compression.NONE, 7);
        assertGolden("batch-none.hex", batch);
        assertDecodesToSample(read("batch-none.hex"));
    }

    @Test
    void shouldStillDecodeCompressedBatchesWrittenEarlier() throws IOException {
        for (Compression c : List.of(Compression.LZ4, Compression.ZSTD)) {
            String name = "batch-" + c.configName() + ".hex";
            if (UPDATE) {
                write(name, RecordBatch.encode(100L, sampleRecords(), c, 7));
            }
            // compressor output may change between library versions; decoding old bytes must not
            assertDecodesToSample(read(name));
        }
    }

    @Test
    void shouldKeepTheIndexHeaderLayouts() throws IOException {
        assertGolden("offset-index-header.hex", new IndexHeader(IndexHeader.OFFSET_INDEX_MAGIC, 8, 42L).encode());
        assertGolden("time-index-header.hex", new IndexHeader(IndexHeader.TIME_INDEX_MAGIC, 12, 42L).encode());
        assertThat(IndexHeader.decodeOrNull(read("offset-index-header.hex")))
                .isEqualTo(new IndexHeader(IndexHeader.OFFSET_INDEX_MAGIC, 8, 42L));
    }

    @Test
    void shouldKeepThePartitionCheckpointFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        new Checkpoint(100L, 4_000L, 4_096L).write(dir);
        Golden.assertText("partition.checkpoint", java.nio.file.Files.readString(dir.resolve(Checkpoint.FILE)));

        Path earlier = dir.resolve("earlier");
        java.nio.file.Files.createDirectories(earlier);
        java.nio.file.Files.copy(Golden.file("partition.checkpoint"), earlier.resolve(Checkpoint.FILE));
        assertThat(Checkpoint.read(earlier)).isEqualTo(new Checkpoint(100L, 4_000L, 4_096L));
    }

    @Test
    void shouldKeepTheTopicSettingsFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        TopicConfig config = TopicConfig.DEFAULTS.with(java.util.Map.of(
                TopicConfig.PARTITIONS, "6",
                TopicConfig.CLEANUP_POLICY, "compact",
                TopicConfig.RETENTION_MS, "86400000"));
        TopicStore.write(dir, config);
        Golden.assertText("topic.properties", java.nio.file.Files.readString(dir.resolve(TopicStore.FILE)));

        Path earlier = dir.resolve("earlier");
        java.nio.file.Files.createDirectories(earlier);
        java.nio.file.Files.copy(Golden.file("topic.properties"), earlier.resolve(TopicStore.FILE));
        assertThat(TopicStore.read(earlier)).isEqualTo(config);
    }

    private static void assertDecodesToSample(ByteBuffer bytes) {
        RecordBatch batch = RecordBatch.wrap(bytes);
        assertThat(batch.invalidReason()).isNull();
        assertThat(batch.baseOffset()).isEqualTo(100L);
        assertThat(batch.lastOffset()).isEqualTo(102L);
        assertThat(batch.epoch()).isEqualTo(7);
        assertThat(batch.maxTimestamp()).isEqualTo(1_700_000_000_005L);
        assertThat(batch.deleteHorizon()).isEqualTo(-1L);
        List<StoredRecord> records = batch.records();
        assertThat(records).extracting(StoredRecord::offset).containsExactly(100L, 101L, 102L);
        assertThat(records).extracting(StoredRecord::toRecord).containsExactlyElementsOf(sampleRecords());
    }

    private static void assertGolden(String name, ByteBuffer actual) throws IOException {
        Golden.assertBytes(name, actual);
    }

    private static ByteBuffer read(String name) throws IOException {
        return Golden.read(name);
    }

    private static void write(String name, ByteBuffer bytes) throws IOException {
        Golden.write(name, bytes);
    }
}
