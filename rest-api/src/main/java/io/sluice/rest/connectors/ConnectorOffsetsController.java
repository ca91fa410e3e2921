package io.sluice.rest.connectors;

import io.sluice.core.service.ConnectorService;
import io.sluice.rest.errors.RestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A connector's committed offsets (Kafka's KIP-875): read any time, altered or reset only while the
 * connector is STOPPED. Sink offsets are {@code {"partition": {"kafka_topic", "kafka_partition"},
 * "offset": {"kafka_offset"}}}. Stateless.
 */
@RestController
@RequestMapping(path = "/connectors/{connector}/offsets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "connectors")
public class ConnectorOffsetsController {

    private final ConnectorService service;

    public ConnectorOffsetsController(ConnectorService service) {
        this.service = service;
    }

    @GetMapping
    @Operation(summary = "The connector's committed offsets")
    public ConnectorJson.Offsets get(@PathVariable("connector") String connector) {
        return ConnectorJson.Offsets.of(service.offsets(connector));
    }

    @PatchMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Alter offsets of a STOPPED connector; a null offset resets that partition")
    public ConnectorJson.Message alter(
            @PathVariable("connector") String connector, @RequestBody ConnectorJson.Offsets body) {
        if (body == null || body.offsets() == null || body.offsets().isEmpty()) {
            throw RestException.badRequest("Partitions / offsets need to be provided for an alter offsets request");
        }
        for (ConnectorJson.Offset o : body.offsets()) {
            if (o == null || o.partition() == null) {
                throw RestException.badRequest("Every entry of \"offsets\" needs a \"partition\" object");
            }
        }
        return new ConnectorJson.Message(service.alterOffsets(connector, body.toService()));
    }

    @DeleteMapping
    @Operation(summary = "Reset all offsets of a STOPPED connector")
    public ConnectorJson.Message reset(@PathVariable("connector") String connector) {
        return new ConnectorJson.Message(service.resetOffsets(connector));
    }
}
