package io.sluice.worker.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.extension.Gauges;
import io.sluice.core.metrics.MetricNames;
import java.util.OptionalDouble;
import java.util.function.DoubleSupplier;

/** Connector extensions' gauges in the worker's Micrometer registry. Thread-safe, never blocks. */
final class MeterGauges implements Gauges {

    private final MeterRegistry registry;

    MeterGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void register(String name, String connector, String description, String baseUnit, DoubleSupplier value) {
        Gauge.builder(name, value::getAsDouble)
                .tag(MetricNames.TAG_CONNECTOR, connector)
                .description(description)
                .baseUnit(baseUnit)
                .register(registry);
    }

    @Override
    public void remove(String name, String connector) {
        registry.find(name).tag(MetricNames.TAG_CONNECTOR, connector).meters().forEach(registry::remove);
    }

    @Override
    public OptionalDouble max(String name, String connector) {
        return registry.find(name).tag(MetricNames.TAG_CONNECTOR, connector).gauges().stream()
                .mapToDouble(Gauge::value)
                .filter(v -> !Double.isNaN(v))
                .max();
    }
}
