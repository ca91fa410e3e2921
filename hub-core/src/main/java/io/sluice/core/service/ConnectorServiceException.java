package io.sluice.core.service;

/**
 * A request to {@link ConnectorService} that cannot be carried out. The REST layer maps each kind
 * to Kafka Connect's status code: {@link NotFoundException} 404, {@link AlreadyExistsException}
 * 409, {@link ConflictException} 409, {@link BadRequestException} 400, {@link UnavailableException} 503. Messages never contain
 * secrets or stack traces.
 */
public abstract sealed class ConnectorServiceException extends RuntimeException
        permits NotFoundException,
                AlreadyExistsException,
                BadRequestException,
                ConflictException,
                UnavailableException {

    private static final long serialVersionUID = 1L;

    protected ConnectorServiceException(String message) {
        super(message);
    }

    protected ConnectorServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
