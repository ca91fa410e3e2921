package io.sluice.rest.security;

import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which role each endpoint needs: one rule per controller mapping, written with the mapping's own
 * pattern (a test checks that every mapping has its rule). Requests no rule names (static UI
 * files, actuator, OpenAPI, unknown paths) need {@link Role#VIEWER} to read and {@link Role#ADMIN}
 * for anything else. Immutable.
 */
public final class EndpointRules {

    /**
     * One endpoint and the least role that may call it; {@code role == null} lets anyone in,
     * authenticated or not.
     */
    public record Rule(HttpMethod method, String pattern, Role role, PathPattern parsed) {

        Rule(HttpMethod method, String pattern, Role role) {
            this(method, pattern, role, PathPatternParser.defaultInstance.parse(pattern));
        }

        boolean matches(HttpMethod requestMethod, PathContainer path) {
            return method.equals(requestMethod) && parsed.matches(path);
        }
    }

    private static final HttpMethod GET = HttpMethod.GET;
    private static final HttpMethod POST = HttpMethod.POST;
    private static final HttpMethod PUT = HttpMethod.PUT;
    private static final HttpMethod PATCH = HttpMethod.PATCH;
    private static final HttpMethod DELETE = HttpMethod.DELETE;

    /** Every controller mapping of the REST API with its role. */
    public static final List<Rule> RULES = List.of(
            // Kafka Connect's probes and version
            new Rule(GET, "/health", null),
            new Rule(GET, "/", Role.VIEWER),
            // connectors: reads
            new Rule(GET, "/connectors", Role.VIEWER),
            new Rule(GET, "/connectors/", Role.VIEWER),
            new Rule(GET, "/connectors/{connector}", Role.VIEWER),
            new Rule(GET, "/connectors/{connector}/config", Role.VIEWER),
            new Rule(GET, "/connectors/{connector}/status", Role.VIEWER),
            new Rule(GET, "/connectors/{connector}/tasks", Role.VIEWER),
            new Rule(GET, "/connectors/{connector}/tasks/{task}/status", Role.VIEWER),
            new Rule(GET, "/connectors/{connector}/topics", Role.VIEWER),
            new Rule(GET, "/connectors/{connector}/offsets", Role.VIEWER),
            // connectors: operations
            new Rule(POST, "/connectors/{connector}/restart", Role.OPERATOR),
            new Rule(POST, "/connectors/{connector}/tasks/{task}/restart", Role.OPERATOR),
            new Rule(PUT, "/connectors/{connector}/pause", Role.OPERATOR),
            new Rule(PUT, "/connectors/{connector}/resume", Role.OPERATOR),
            new Rule(PUT, "/connectors/{connector}/stop", Role.OPERATOR),
            new Rule(PUT, "/connectors/{connector}/topics/reset", Role.OPERATOR),
            new Rule(PATCH, "/connectors/{connector}/offsets", Role.OPERATOR),
            new Rule(DELETE, "/connectors/{connector}/offsets", Role.OPERATOR),
            // connectors: changes
            new Rule(POST, "/connectors", Role.ADMIN),
            new Rule(POST, "/connectors/", Role.ADMIN),
            new Rule(PUT, "/connectors/{connector}/config", Role.ADMIN),
            new Rule(PATCH, "/connectors/{connector}/config", Role.ADMIN),
            new Rule(DELETE, "/connectors/{connector}", Role.ADMIN),
            // plugins (validation runs connector code against the given settings)
            new Rule(GET, "/connector-plugins", Role.VIEWER),
            new Rule(GET, "/connector-plugins/{plugin}/config", Role.VIEWER),
            new Rule(PUT, "/connector-plugins/{plugin}/config/validate", Role.ADMIN),
            // log levels
            new Rule(GET, "/admin/loggers", Role.ADMIN),
            new Rule(GET, "/admin/loggers/{logger}", Role.ADMIN),
            new Rule(PUT, "/admin/loggers/{logger}", Role.ADMIN),
            // the hub's own
            new Rule(GET, "/hub/workers", Role.VIEWER),
            new Rule(DELETE, "/hub/workers/{node}", Role.ADMIN),
            new Rule(GET, "/hub/topics", Role.VIEWER),
            new Rule(GET, "/hub/replication", Role.VIEWER),
            new Rule(GET, "/hub/topics/{topic}", Role.VIEWER),
            new Rule(GET, "/hub/topics/{topic}/partitions/{partition}/records", Role.VIEWER),
            new Rule(POST, "/hub/topics/{topic}/partitions/{partition}/repair", Role.ADMIN),
            new Rule(POST, "/hub/topics/{topic}/partitions/{partition}/reassign", Role.ADMIN),
            new Rule(POST, "/hub/replicas/rebalance", Role.ADMIN),
            new Rule(GET, "/hub/connectors/rates", Role.VIEWER),
            new Rule(GET, "/hub/connectors/{connector}/snapshot", Role.VIEWER),
            new Rule(GET, "/hub/connectors/{connector}/replication-slot", Role.VIEWER),
            new Rule(GET, "/hub/connectors/{connector}/history", Role.VIEWER),
            new Rule(GET, "/hub/connectors/{connector}/rates", Role.VIEWER),
            new Rule(GET, "/hub/connectors/{connector}/lag", Role.VIEWER),
            new Rule(GET, "/hub/events", Role.VIEWER),
            new Rule(GET, "/hub/whoami", Role.VIEWER),
            new Rule(GET, "/hub/audit", Role.VIEWER),
            new Rule(GET, "/hub/plugins/problems", Role.VIEWER));

    private EndpointRules() {}

    /**
     * The least role a request needs, or empty when anyone may make it. {@code path} is the request
     * path without the context path, still percent-encoded.
     */
    public static Optional<Role> required(HttpMethod method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (Rule rule : RULES) {
            if (rule.matches(method, container)) {
                return Optional.ofNullable(rule.role());
            }
        }
        if (path.equals("/error")) {
            return Optional.empty();
        }
        return Optional.of(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? Role.VIEWER : Role.ADMIN);
    }

    /** The rule written for exactly this method and pattern, if any (for the completeness test). */
    public static Optional<Rule> explicit(HttpMethod method, String pattern) {
        return RULES.stream()
                .filter(r -> r.method().equals(method) && r.pattern().equals(pattern))
                .findFirst();
    }
}
