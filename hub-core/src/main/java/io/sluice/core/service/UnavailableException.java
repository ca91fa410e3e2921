package io.sluice.core.service;

/**
 * The hub cannot carry out the request now and did not: e.g. a cluster change while no majority of
 * the workers is reachable (HTTP 503). The request may be sent again later.
 */
public final class UnavailableException extends ConnectorServiceException {

    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
