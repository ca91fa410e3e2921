package io.sluice.log.segment;

/**
 * What a scan of a segment's batches found.
 *
 * @param validEnd file position after the last good batch
 * @param nextOffset offset after the last good batch (the segment base when none)
 * @param maxTimestamp largest timestamp seen, or {@code Long.MIN_VALUE}
 * @param batches number of good batches scanned
 * @param problem why scanning stopped before the end of the file, or {@code null} when it reached it
 */
public record ScanResult(int validEnd, long nextOffset, long maxTimestamp, int batches, String problem) {

    public boolean clean() {
        return problem == null;
    }
}
