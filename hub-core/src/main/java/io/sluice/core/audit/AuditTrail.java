package io.sluice.core.audit;

import java.util.List;

/** Where audit events go and are listed from. Implementations are thread-safe and may block briefly. */
public interface AuditTrail {

    /** Appends {@code event}; a failure is reported by the implementation, never thrown at the caller. */
    void append(AuditEvent event);

    /** The latest {@code limit} events, newest first. */
    List<AuditEvent> latest(int limit);
}
