package io.sluice.log;

import io.sluice.log.segment.Segment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes whole segments older than {@code retention.ms} or beyond {@code retention.bytes}, oldest
 * first, never the active segment and never anything not yet committed. Runs on the maintenance
 * thread; takes the partition lock only to change the segment set.
 */
final class Retention {

    private Retention() {}

    /** Returns the number of segments removed. */
    static int enforce(PartitionLog p, long now) throws IOException {
        TopicConfig cfg = p.config();
        if (!cfg.deleteEnabled()
                || p.state() != PartitionState.ONLINE
                || (cfg.retentionMs() < 0 && cfg.retentionBytes() < 0)) {
            return 0;
        }
        p.lock().lock();
        try {
            rollExpiredActive(p, cfg, now);
            List<Segment> all = new ArrayList<>(p.segmentMap().values());
            long total = 0;
            for (Segment s : all) {
                total += s.size();
            }
            int removed = 0;
            for (Segment seg : all) {
                if (seg == p.activeSegment() || seg.nextOffset() > p.highWatermark()) {
                    break;
                }
                boolean expired = cfg.retentionMs() >= 0 && seg.maxTimestamp() < now - cfg.retentionMs();
                boolean oversize = cfg.retentionBytes() >= 0 && total - seg.size() >= cfg.retentionBytes();
                if (!expired && !oversize) {
                    break;
                }
                total -= seg.size();
                p.retire(seg);
                removed++;
            }
            if (removed > 0) {
                p.setLogStartOffset(Math.max(p.logStartOffset(), p.segmentMap().firstKey()));
                p.writeCheckpoint();
            }
            return removed;
        } finally {
            p.lock().unlock();
        }
    }

    /** An active segment whose every record is past retention is rolled so it can be deleted. */
    private static void rollExpiredActive(PartitionLog p, TopicConfig cfg, long now) throws IOException {
        Segment active = p.activeSegment();
        if (!active.isEmpty()
                && cfg.retentionMs() >= 0
                && active.maxTimestamp() < now - cfg.retentionMs()
                && p.highWatermark() == active.nextOffset()) {
            p.roll();
        }
    }
}
