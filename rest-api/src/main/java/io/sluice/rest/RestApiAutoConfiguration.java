package io.sluice.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.sluice.core.hub.HubQueries;
import io.sluice.core.service.ConnectorService;
import io.sluice.rest.admin.LogLevels;
import io.sluice.rest.admin.LoggersController;
import io.sluice.rest.admin.RootController;
import io.sluice.rest.connectors.ConnectorOffsetsController;
import io.sluice.rest.connectors.ConnectorStateController;
import io.sluice.rest.connectors.ConnectorsController;
import io.sluice.rest.errors.BodySizeLimitFilter;
import io.sluice.rest.errors.JsonErrorController;
import io.sluice.rest.errors.JsonErrorReportValve;
import io.sluice.rest.errors.RestExceptionHandler;
import io.sluice.rest.hub.HubController;
import io.sluice.rest.hub.HubEventsController;
import io.sluice.rest.hub.WorkersController;
import io.sluice.rest.plugins.PluginProblemsController;
import io.sluice.rest.plugins.PluginsController;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * Serves the REST API in any servlet web application that has a {@link ConnectorService} and
 * {@link HubQueries} bean (the worker): Kafka Connect's endpoints, the hub's own under {@code
 * /hub/}, the JSON error body for every failure and the request body cap.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean({ConnectorService.class, HubQueries.class})
@EnableConfigurationProperties(RestProperties.class)
@Import({
    ConnectorsController.class,
    ConnectorStateController.class,
    ConnectorOffsetsController.class,
    PluginsController.class,
    PluginProblemsController.class,
    RootController.class,
    LogLevels.class,
    LoggersController.class,
    HubController.class,
    HubEventsController.class,
    WorkersController.class,
    RestExceptionHandler.class,
    JsonErrorController.class
})
public class RestApiAutoConfiguration {

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(RestProperties properties) {
        FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(
                new BodySizeLimitFilter(properties.maxBodySize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Strict JSON: trailing content after the body's value and duplicate keys are errors rather
     * than silently ignored or overwritten.
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictJson() {
        return builder -> builder.featuresToEnable(
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS, JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Tomcat answers requests it rejects before any servlet with the JSON error body too. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonTomcatErrors() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
