package io.sluice.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.validation.ConnectorValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BadRequestExceptionTest {

    @Test
    void shouldCarryEveryFieldErrorOfAValidation() {
        try (Plugins plugins = PluginScanner.scan(List.of())) {
            var result = new ConnectorValidator(plugins)
                    .validate(Map.of("name", "s", "connector.class", "TestSink", "tasks.max", "0", "sink.url", "u"));

            BadRequestException e = BadRequestException.of(result);

            assertThat(e.fieldErrors())
                    .extracting(BadRequestException.FieldError::field)
                    .containsExactlyInAnyOrder("tasks.max", "topics", "topics.regex");
            assertThat(e.getMessage())
                    .startsWith("Connector configuration is invalid and contains the following 3 error(s):");
        }
    }
}
