package io.sluice.core.transform;

import io.sluice.core.plugin.LoaderSwap;
import java.util.Objects;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * One configured transformation, applied to a record only when its predicate matches (or, with
 * {@code negate}, does not match); without a predicate it applies to every record. Calls into the
 * plugin with its own class loader as context loader.
 *
 * <p>Not thread-safe, like the transformations themselves: each task owns its stages.
 */
public final class TransformationStage<R extends ConnectRecord<R>> implements AutoCloseable {

    private final String alias;
    private final Transformation<R> transformation;
    private final Predicate<R> predicate;
    private final boolean negate;

    /** @param predicate the guard, or null to apply to every record */
    public TransformationStage(String alias, Transformation<R> transformation, Predicate<R> predicate, boolean negate) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.transformation = Objects.requireNonNull(transformation, "transformation");
        this.predicate = predicate;
        this.negate = negate;
    }

    /** The alias under {@code transforms} that configured this stage. */
    public String alias() {
        return alias;
    }

    /** The transformation's class, for error reports. */
    public Class<?> transformationClass() {
        return transformation.getClass();
    }

    /** The transformed record, the record unchanged if the guard does not match, or null to drop it. */
    public R apply(R record) {
        if (predicate != null) {
            boolean matches;
            try (LoaderSwap ignored = LoaderSwap.toLoaderOf(predicate)) {
                matches = predicate.test(record);
            }
            if (matches == negate) {
                return record;
            }
        }
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(transformation)) {
            return transformation.apply(record);
        }
    }

    /** Closes the transformation; predicates are shared and closed by the chain. */
    @Override
    public void close() {
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(transformation)) {
            transformation.close();
        }
    }

    @Override
    public String toString() {
        return "TransformationStage{" + alias + "=" + transformation.getClass().getName()
                + (predicate == null
                        ? ""
                        : ", predicate=" + predicate.getClass().getName() + ", negate=" + negate)
                + "}";
    }
}
