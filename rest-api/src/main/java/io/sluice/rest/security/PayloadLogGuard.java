package io.sluice.rest.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps request and response payloads, headers and replicated entries out of the log at every
 * level: the libraries listed in {@link #PAYLOAD_LOGGERS} print request bodies (connector configs
 * with their passwords), {@code Authorization} headers or raw Raft entries at DEBUG and TRACE, so
 * below INFO they are silent, whatever level {@code /admin/loggers} or the settings give them or
 * the root logger. Stateless and thread-safe.
 */
public final class PayloadLogGuard extends TurboFilter {

    /** Logger name prefixes whose DEBUG/TRACE output can carry secrets. */
    public static final List<String> PAYLOAD_LOGGERS = List.of(
            "org.springframework.web", // "Read application/json to [{name=..., config={...}}]"
            "org.springframework.http",
            "org.springframework.security",
            "org.springframework.boot.web",
            "org.apache.coyote", // raw request bytes, headers included
            "org.apache.tomcat",
            "org.apache.catalina",
            "org.apache.ratis", // Raft entries: connector configs as they replicate
            "org.apache.http", // wire logging of HTTP clients (AWS SDK, Elasticsearch)
            "software.amazon.awssdk",
            "org.elasticsearch.client",
            "tracer", // Elasticsearch's request tracer
            "org.postgresql",
            "io.swagger",
            "org.springdoc");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || level.isGreaterOrEqual(Level.INFO)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (String prefix : PAYLOAD_LOGGERS) {
            if (name.startsWith(prefix) && (name.length() == prefix.length() || name.charAt(prefix.length()) == '.')) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }

    /** Installs the guard in Logback's context once (Spring Boot resets the context as it starts). */
    static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            boolean present = context.getTurboFilterList().stream().anyMatch(f -> f instanceof PayloadLogGuard);
            if (!present) {
                PayloadLogGuard guard = new PayloadLogGuard();
                guard.setName("sluice-payload-log-guard");
                guard.setContext(context);
                guard.start();
                context.addTurboFilter(guard);
            }
        }
    }
}
