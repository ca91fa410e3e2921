package io.sluice.rest.hub;

import io.sluice.core.hub.WorkerRemoval;
import io.sluice.rest.errors.RestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Removing a worker from the cluster. Stateless. */
@RestController
@RequestMapping(path = "/hub/workers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "hub", description = "Sluice's own endpoints")
public class WorkersController {

    private final ObjectProvider<WorkerRemoval> removal;

    public WorkersController(ObjectProvider<WorkerRemoval> removal) {
        this.removal = removal;
    }

    /** The answer to a removal that was made. */
    public record Removed(String message, List<Integer> members) {}

    @DeleteMapping("/{node}")
    @Operation(
            summary = "Removes a worker (alive or dead) from the cluster: it leaves the metadata group and its"
                    + " connectors and tasks move to the other workers at once; a removed worker that still runs"
                    + " stops its tasks. 404: no member has that node id; 409: the last member, or a removal"
                    + " that would lose the cluster's majority; 503: no metadata leader answered")
    public Removed remove(@PathVariable("node") String node) {
        int id;
        try {
            id = Integer.parseInt(node.trim());
        } catch (NumberFormatException e) {
            throw RestException.badRequest("node-id must be a worker's node id (a positive integer), was " + node);
        }
        if (id < 1) {
            throw RestException.badRequest("node-id must be a worker's node id (a positive integer), was " + node);
        }
        WorkerRemoval service = removal.getIfAvailable();
        if (service == null) {
            throw new RestException(
                    HttpStatus.CONFLICT,
                    "This worker is not in a cluster (sluice.cluster.* is not set): no worker" + " can be removed");
        }
        WorkerRemoval.Result result = service.remove(id);
        return switch (result.outcome()) {
            case REMOVED -> new Removed(result.message(), result.members());
            case UNKNOWN_NODE -> throw new RestException(HttpStatus.NOT_FOUND, result.message());
            case REFUSED -> throw new RestException(HttpStatus.CONFLICT, result.message());
            case UNAVAILABLE -> throw new RestException(HttpStatus.SERVICE_UNAVAILABLE, result.message());
        };
    }
}
