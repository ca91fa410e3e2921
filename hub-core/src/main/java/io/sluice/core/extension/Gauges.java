package io.sluice.core.extension;

import java.util.OptionalDouble;
import java.util.function.DoubleSupplier;

/**
 * Gauges of the worker's metrics registry, tagged with the connector they describe ({@code
 * connector} tag), so an extension reports numbers without depending on the hub's metrics library.
 * Thread-safe; no method blocks.
 */
public interface Gauges {

    /** Gauges that go nowhere and read nothing. */
    Gauges NONE = new Gauges() {
        @Override
        public void register(String name, String connector, String description, String baseUnit, DoubleSupplier v) {}

        @Override
        public void remove(String name, String connector) {}

        @Override
        public OptionalDouble max(String name, String connector) {
            return OptionalDouble.empty();
        }
    };

    /**
     * Registers a gauge read from {@code value} whenever metrics are scraped; a gauge of the same name
     * and connector registered before stays.
     *
     * @param baseUnit the unit ({@code bytes}, {@code seconds}) or null
     */
    void register(String name, String connector, String description, String baseUnit, DoubleSupplier value);

    /** Removes every gauge of that name tagged with the connector. */
    void remove(String name, String connector);

    /**
     * The largest current value of the gauges of that name tagged with the connector (any other tags,
     * e.g. one per task), ignoring NaN; empty when there is none.
     */
    OptionalDouble max(String name, String connector);
}
