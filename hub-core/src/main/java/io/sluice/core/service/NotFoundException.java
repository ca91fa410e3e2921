package io.sluice.core.service;

/** No connector, task or plugin by the given name (HTTP 404). */
public final class NotFoundException extends ConnectorServiceException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
