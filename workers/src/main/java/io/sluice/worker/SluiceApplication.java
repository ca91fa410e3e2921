package io.sluice.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of a Sluice worker: {@code java -jar sluice.jar}. Spring Boot's Elasticsearch client
 * auto-configuration is left out: the Elasticsearch sink brings the client jar, but the worker itself
 * talks to no Elasticsearch (its health check probed localhost:9200 and made a healthy hub DOWN).
 */
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.elasticsearch.ElasticsearchRestHealthContributorAutoConfiguration"
        })
@ConfigurationPropertiesScan
public class SluiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SluiceApplication.class, args);
    }
}
