package io.sluice.log;

import io.sluice.log.segment.ScanResult;
import io.sluice.log.segment.Segment;
import io.sluice.log.segment.SegmentFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a partition directory to a consistent state at start-up: removes leftovers of interrupted
 * compaction, finishes an interrupted segment swap, checks segments (fully from the recovery point,
 * always the active one), truncates a torn or corrupt tail of the active segment and logs exactly what
 * was dropped. Damage inside a closed segment is never repaired silently: the records before it and
 * the segments after it stay readable, and the range from the damage to the next segment's base is
 * reported as a {@link DamagedRange} (the partition is {@link PartitionState#DAMAGED}) until an
 * operator repairs it. Segments that overlap take the partition offline. Never throws for damaged
 * files.
 */
final class PartitionRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionRecovery.class);

    record Result(
            List<Segment> segments,
            long logStartOffset,
            long highWatermark,
            long recoveryPoint,
            String offlineReason,
            List<DamagedRange> damaged,
            List<String> events) {}

    private final TopicPartition tp;
    private final Path dir;
    private final TopicConfig config;
    private final LogContext context;
    private final List<String> events = new ArrayList<>();
    private final List<DamagedRange> damaged = new ArrayList<>();

    private PartitionRecovery(TopicPartition tp, Path dir, TopicConfig config, LogContext context) {
        this.tp = tp;
        this.dir = dir;
        this.config = config;
        this.context = context;
    }

    static Result recover(TopicPartition tp, Path dir, TopicConfig config, LogContext context) throws IOException {
        return new PartitionRecovery(tp, dir, config, context).run();
    }

    private Result run() throws IOException {
        Files.createDirectories(dir);
        removeLeftovers();
        completeSwaps();
        Checkpoint checkpoint = Checkpoint.read(dir);
        List<Long> bases = segmentBases(SegmentFile.LOG);
        List<Segment> segments = new ArrayList<>();
        long expectedNext = -1;
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean last = i == bases.size() - 1;
            boolean fullScan = last || bases.get(i + 1) > checkpoint.recoveryPoint();
            long limit = last ? Long.MAX_VALUE : bases.get(i + 1);
            String offline = openSegment(base, limit, fullScan, expectedNext, segments);
            if (offline != null) {
                closeAll(segments);
                LOG.error("Partition {} is offline: {}", tp, offline);
                return new Result(List.of(), 0, 0, 0, offline, List.of(), events);
            }
            if (!segments.isEmpty()) {
                expectedNext = segments.get(segments.size() - 1).nextOffset();
            }
            if (!damaged.isEmpty()) {
                expectedNext =
                        Math.max(expectedNext, damaged.get(damaged.size() - 1).toOffset());
            }
        }
        if (segments.isEmpty()) {
            long base = Math.max(
                    Math.max(checkpoint.logStartOffset(), checkpoint.highWatermark()),
                    Math.max(checkpoint.recoveryPoint(), expectedNext));
            segments.add(Segment.create(
                    SegmentFile.log(dir, base), base, context.clock().getAsLong(), config.indexIntervalBytes()));
        }
        long end = segments.get(segments.size() - 1).nextOffset();
        long firstStored = segments.get(0).baseOffset();
        if (!damaged.isEmpty()) {
            firstStored = Math.min(firstStored, damaged.get(0).fromOffset());
        }
        long logStart = Math.min(Math.max(checkpoint.logStartOffset(), firstStored), end);
        long hw = context.autoCommit() ? end : Math.min(checkpoint.highWatermark(), end);
        long recoveryPoint = Math.min(checkpoint.recoveryPoint(), end);
        return new Result(segments, logStart, hw, recoveryPoint, null, damaged, events);
    }

    /** Opens one segment into {@code segments}; returns an offline reason, or null. */
    private String openSegment(long base, long limit, boolean fullScan, long expectedNext, List<Segment> segments)
            throws IOException {
        boolean last = limit == Long.MAX_VALUE;
        Path file = SegmentFile.log(dir, base);
        if (expectedNext >= 0 && base < expectedNext) {
            return "segment " + file + " (position 0) starts at offset " + base + " but the previous segment ends at "
                    + expectedNext;
        }
        Segment.Opened opened;
        try {
            opened = Segment.open(file, base, limit, fullScan, config.indexIntervalBytes());
        } catch (CorruptRecordException e) {
            if (last && Files.size(file) <= SegmentFile.HEADER_END) {
                report("removed active segment " + file + " with a torn header (" + Files.size(file) + " bytes)");
                Files.delete(file);
                return null;
            }
            if (last) {
                return "damaged segment header at position 0: " + e.getMessage();
            }
            damage(new DamagedRange(
                    file, 0, base, limit, Files.size(file), "damaged segment header: " + e.getMessage()));
            return null;
        }
        Segment segment = opened.segment();
        segments.add(segment);
        if (opened.indexesRebuilt() && !fullScan) {
            report("rebuilt damaged or missing indexes of " + file);
        }
        ScanResult scan = opened.scan();
        if (scan.clean()) {
            return null;
        }
        long dropped = Files.size(file) - scan.validEnd();
        if (!last) {
            // not cut: the bytes stay on disk until an operator repairs the range (or copies it back)
            damage(new DamagedRange(
                    file, scan.validEnd(), scan.nextOffset(), limit, dropped, "corrupt batch at " + scan.problem()));
            return null;
        }
        segment.truncateToPosition(scan.validEnd(), scan.nextOffset());
        report("truncated " + file + " at position " + scan.validEnd() + ": dropped " + dropped + " bytes from offset "
                + scan.nextOffset() + " on (" + scan.problem() + ")");
        return null;
    }

    private void damage(DamagedRange range) {
        damaged.add(range);
        events.add("damaged closed segment: " + range.describe());
        LOG.error("Partition {} is damaged: {}", tp, range.describe());
    }

    private void report(String event) {
        events.add(event);
        LOG.warn("Recovery of {}: {}", tp, event);
    }

    private void removeLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(SegmentFile.CLEANED) || name.endsWith(".tmp") || name.endsWith(SegmentFile.DELETED)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** A {@code .swap} segment is a complete compaction result: it replaces the segments it covers. */
    private void completeSwaps() throws IOException {
        for (long base : segmentBases(SegmentFile.LOG + SegmentFile.SWAP)) {
            Path swap = dir.resolve(SegmentFile.baseName(base) + SegmentFile.LOG + SegmentFile.SWAP);
            long next;
            try {
                Segment.Opened opened = Segment.open(swap, base, true, config.indexIntervalBytes());
                next = opened.segment().nextOffset();
                opened.segment().close();
            } catch (CorruptRecordException e) {
                report("discarded unreadable compaction result " + swap + ": " + e.getMessage());
                Files.deleteIfExists(swap);
                continue;
            }
            for (long old : segmentBases(SegmentFile.LOG)) {
                if (old >= base && old < Math.max(next, base + 1)) {
                    deleteSegmentFiles(old, "");
                }
            }
            for (String suffix : List.of(SegmentFile.LOG, SegmentFile.INDEX, SegmentFile.TIME_INDEX)) {
                Path from = dir.resolve(SegmentFile.baseName(base) + suffix + SegmentFile.SWAP);
                if (Files.exists(from)) {
                    Files.move(
                            from,
                            dir.resolve(SegmentFile.baseName(base) + suffix),
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            report("completed an interrupted compaction swap of " + swap);
        }
    }

    private void deleteSegmentFiles(long base, String suffix) throws IOException {
        for (String kind : List.of(SegmentFile.LOG, SegmentFile.INDEX, SegmentFile.TIME_INDEX)) {
            Files.deleteIfExists(dir.resolve(SegmentFile.baseName(base) + kind + suffix));
        }
    }

    private List<Long> segmentBases(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(suffix) && n.length() == 20 + suffix.length())
                    .map(SegmentFile::parseBaseOffset)
                    .filter(b -> b >= 0)
                    .sorted()
                    .toList();
        }
    }

    private static void closeAll(List<Segment> segments) {
        for (Segment s : segments) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing {} after a failed recovery", s, e);
            }
        }
    }
}
