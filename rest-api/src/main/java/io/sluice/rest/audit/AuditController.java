package io.sluice.rest.audit;

import io.sluice.core.audit.AuditEvent;
import io.sluice.core.audit.AuditTrail;
import io.sluice.rest.errors.RestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /hub/audit}: the latest changes asked of the hub, newest first. Stateless. */
@RestController
@Tag(name = "hub")
public class AuditController {

    static final int MAX_LIMIT = 10_000;

    private final ObjectProvider<AuditTrail> trail;

    public AuditController(ObjectProvider<AuditTrail> trail) {
        this.trail = trail;
    }

    @GetMapping(path = "/hub/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The latest changes (who, what, when, from where, answer), newest first")
    public List<AuditEvent> latest(@RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new RestException(
                    HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        AuditTrail t = trail.getIfAvailable();
        return t == null ? List.of() : t.latest(limit);
    }
}
