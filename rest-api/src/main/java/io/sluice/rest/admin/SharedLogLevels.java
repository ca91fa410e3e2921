package io.sluice.rest.admin;

import java.util.function.BiConsumer;

/**
 * Log levels shared by every worker of a cluster ({@code PUT /admin/loggers/{logger}?scope=cluster}),
 * implemented by the worker on its replicated config. Without such a bean, a cluster-scoped change
 * applies to the worker asked only (a worker that is its own cluster).
 *
 * <p>Implementations are thread-safe.
 */
public interface SharedLogLevels {

    /**
     * Stores {@code level} (a {@link org.springframework.boot.logging.LogLevel} name) for {@code
     * logger} (a logger name as Spring Boot's {@code LoggingSystem} spells it) for every worker. Blocks
     * until the change is committed and applied on this worker.
     *
     * @throws io.sluice.core.service.UnavailableException when it cannot be committed (no majority of
     *     the cluster reachable; answered 503)
     */
    void publish(String logger, String level);

    /**
     * Calls {@code apply} with (logger, level) for every level already stored, then for every level
     * stored later by any worker, on the thread that applies the change (it must not block).
     */
    void subscribe(BiConsumer<String, String> apply);
}
