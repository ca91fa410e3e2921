package io.sluice.core.service;

import java.util.List;
import java.util.Map;

/**
 * A connector's committed offsets, as {@code GET /connectors/{name}/offsets} shows them and {@code
 * PATCH} takes them. For sinks a partition is {@code {kafka_topic, kafka_partition}} and an offset
 * {@code {kafka_offset}}; for sources both are the connector's own maps. A null offset in a PATCH
 * resets that partition.
 */
public record ConnectorOffsets(List<Offset> offsets) {

    public ConnectorOffsets {
        offsets = List.copyOf(offsets);
    }

    /** One partition's offset; both maps come from the connector and are not interpreted. */
    public record Offset(Map<String, ?> partition, Map<String, ?> offset) {}
}
