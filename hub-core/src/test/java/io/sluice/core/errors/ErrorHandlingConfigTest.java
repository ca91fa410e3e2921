package io.sluice.core.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorHandlingConfigTest {

    @Test
    void shouldReadErrorSettingsOfAConfigNamingConvertersThatAreNotOnTheClassPath() {
        ErrorHandlingConfig config = ErrorHandlingConfig.from(Map.of(
                "name", "c",
                "connector.class", "Whatever",
                "key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
                "value.converter", "com.example.NotThere",
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", "dlq"));
        assertThat(config.tolerance()).isEqualTo(ToleranceType.ALL);
        assertThat(config.deadLetterTopic()).isEqualTo("dlq");
    }
}
