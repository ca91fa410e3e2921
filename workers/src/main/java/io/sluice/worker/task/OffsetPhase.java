package io.sluice.worker.task;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tells when a source partition's offset enters a new phase, so it is committed at once instead of
 * at the next flush interval. Connectors mark phases with boolean flags in their offsets: Debezium's
 * snapshot records carry {@code last_snapshot_record} and {@code snapshot_completed}, which turn true
 * when the snapshot ends, and its first streaming offset carries neither. A restart that resumes from
 * an offset before such a change would repeat the whole phase (a whole snapshot), so the change is
 * worth a commit of its own. A flag appearing, disappearing or changing value is a new phase; other
 * values (positions, timestamps, counters) are not. Stateless and thread-safe.
 */
final class OffsetPhase {

    private OffsetPhase() {}

    /** Whether {@code after}, the offset following {@code before} in the same source partition, starts a new phase. */
    static boolean changed(Map<String, ?> before, Map<String, ?> after) {
        Set<String> flags = new HashSet<>();
        before.forEach((k, v) -> {
            if (v instanceof Boolean) {
                flags.add(k);
            }
        });
        after.forEach((k, v) -> {
            if (v instanceof Boolean) {
                flags.add(k);
            }
        });
        for (String flag : flags) {
            if (!Objects.equals(before.get(flag), after.get(flag))) {
                return true;
            }
        }
        return false;
    }
}
