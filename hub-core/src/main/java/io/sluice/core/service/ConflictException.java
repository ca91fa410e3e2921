package io.sluice.core.service;

/** The cluster cannot carry out the request now, e.g. during a rebalance or while the connector is not in the state the operation needs (HTTP 409). */
public final class ConflictException extends ConnectorServiceException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
