package io.sluice.core.service;

import io.sluice.core.validation.ConfigInfos;
import java.util.List;

/**
 * The request is malformed or the config is invalid (HTTP 400). Carries one {@link FieldError} per
 * problem so the REST body can list them all.
 */
public final class BadRequestException extends ConnectorServiceException {

    private static final long serialVersionUID = 1L;

    /** One problem with one setting. */
    public record FieldError(String field, String message) {}

    private final List<FieldError> fieldErrors;

    public BadRequestException(String message) {
        this(message, List.of());
    }

    public BadRequestException(String message, List<FieldError> fieldErrors) {
        super(message);
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** Every problem a validation found, with Kafka Connect's message for an invalid config. */
    public static BadRequestException of(ConfigInfos validation) {
        List<FieldError> errors = validation.configs().stream()
                .flatMap(c -> c.value().errors().stream()
                        .map(e -> new FieldError(c.value().name(), e)))
                .toList();
        StringBuilder message = new StringBuilder("Connector configuration is invalid and contains the following ")
                .append(errors.size())
                .append(" error(s):");
        errors.forEach(e -> message.append('\n').append(e.message()));
        message.append("\nYou can also find the above list of errors at the endpoint "
                + "`/connector-plugins/{connectorType}/config/validate`");
        return new BadRequestException(message.toString(), errors);
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
