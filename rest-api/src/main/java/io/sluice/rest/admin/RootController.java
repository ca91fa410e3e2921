package io.sluice.rest.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.core.hub.HubQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.kafka.common.utils.AppInfoParser;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /} and {@code GET /health}. The version and commit are those of the Kafka Connect API
 * the hub implements (clients check them to pick features); {@code sluice_version} is the hub's
 * own. Stateless.
 */
@RestController
@Tag(name = "server")
public class RootController {

    /** Kafka Connect's {@code ServerInfo}, plus the hub's own version. */
    public record ServerInfo(
            @JsonProperty("version") String version,
            @JsonProperty("commit") String commit,
            @JsonProperty("kafka_cluster_id") String kafkaClusterId,
            @JsonProperty("sluice_version") String sluiceVersion) {}

    /** Kafka Connect's {@code WorkerStatus}. */
    public record Health(
            @JsonProperty("status") String status,
            @JsonProperty("message") String message) {}

    private final HubQueries hub;

    public RootController(HubQueries hub) {
        this.hub = hub;
    }

    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Version of the Kafka Connect API served and the cluster's id")
    public ServerInfo serverInfo() {
        String sluice = RootController.class.getPackage().getImplementationVersion();
        return new ServerInfo(
                AppInfoParser.getVersion(),
                AppInfoParser.getCommitId(),
                hub.clusterId(),
                sluice == null ? "development" : sluice);
    }

    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Whether the worker has started and can handle requests")
    public Health health() {
        return new Health("healthy", "Worker has completed startup and is ready to handle requests.");
    }
}
