package io.sluice.core.transform;

import io.sluice.core.plugin.LoaderSwap;
import java.util.List;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector's transformations in configured order. {@link #apply} stops at the first stage that
 * drops the record (returns null). Callers that need per-stage error handling iterate {@link
 * #stages()} themselves.
 *
 * <p>Not thread-safe: each task builds and owns its chain. {@link #close()} closes every
 * transformation and predicate once; later calls do nothing.
 */
public final class TransformationChain<R extends ConnectRecord<R>> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransformationChain.class);

    private final List<TransformationStage<R>> stages;
    private final List<Predicate<R>> predicates;
    private boolean closed;

    TransformationChain(List<TransformationStage<R>> stages, List<Predicate<R>> predicates) {
        this.stages = List.copyOf(stages);
        this.predicates = List.copyOf(predicates);
    }

    /** A chain that returns every record unchanged. */
    public static <R extends ConnectRecord<R>> TransformationChain<R> empty() {
        return new TransformationChain<>(List.of(), List.of());
    }

    /** The stages in the order they apply. */
    public List<TransformationStage<R>> stages() {
        return stages;
    }

    /** The record after every stage, or null if a stage dropped it. */
    public R apply(R record) {
        R current = record;
        for (TransformationStage<R> stage : stages) {
            current = stage.apply(current);
            if (current == null) {
                log.trace("Record dropped by transformation {}", stage.alias());
                return null;
            }
        }
        return current;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (TransformationStage<R> stage : stages) {
            closeQuietly(stage, stage.alias());
        }
        for (Predicate<R> predicate : predicates) {
            try (LoaderSwap ignored = LoaderSwap.toLoaderOf(predicate)) {
                closeQuietly(predicate, predicate.getClass().getName());
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Could not close {}", what, e);
        }
    }
}
