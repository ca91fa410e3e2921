package io.sluice.worker.storage;

import io.sluice.log.InvalidConfigException;
import io.sluice.log.Log;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the worker's log at start-up and closes (flushes) it on shutdown. */
@Configuration(proxyBeanMethods = false)
public class LogConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LogConfiguration.class);

    @Bean(destroyMethod = "close")
    public Log log(LogProperties properties) {
        try {
            Log log = Log.open(properties.toLogOptions());
            LOG.info(
                    "Log opened in {} ({} topics)",
                    properties.dataDir().toAbsolutePath().normalize(),
                    log.topics().size());
            return log;
        } catch (InvalidConfigException e) {
            throw new IllegalStateException("Invalid sluice.log settings: " + String.join("; ", e.errors()), e);
        }
    }

    @Bean
    public LogHealthIndicator logHealthIndicator(Log log) {
        return new LogHealthIndicator(log);
    }
}
