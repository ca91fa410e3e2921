package io.sluice.ui;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the web UI's index page at {@code /ui} and {@code /ui/}; its other files are static
 * resources Spring Boot serves from {@code META-INF/resources/ui/} in the jar. {@code GET /} is left
 * to the REST API (Kafka Connect's version JSON).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class UiAutoConfiguration implements WebMvcConfigurer {

    static final String INDEX = "forward:/ui/index.html";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/ui").setViewName(INDEX);
        registry.addViewController("/ui/").setViewName(INDEX);
    }
}
