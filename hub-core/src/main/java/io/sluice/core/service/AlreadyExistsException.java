package io.sluice.core.service;

/** A connector by that name already exists (HTTP 409). */
public final class AlreadyExistsException extends ConnectorServiceException {

    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String message) {
        super(message);
    }

    public AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
