package io.sluice.rest.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.service.BadRequestException.FieldError;
import java.util.List;

/**
 * Kafka Connect's error body. {@code errors} is Sluice's addition: one entry per invalid setting
 * when a config was rejected, omitted otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(
        @JsonProperty("error_code") int errorCode,
        @JsonProperty("message") String message,
        @JsonProperty("errors") List<FieldError> errors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ErrorBody(int errorCode, String message) {
        this(errorCode, message, List.of());
    }

    /** This body as JSON text. */
    public static String json(ErrorBody body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an error body", e);
        }
    }
}
