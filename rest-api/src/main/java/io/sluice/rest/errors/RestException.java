package io.sluice.rest.errors;

import org.springframework.http.HttpStatus;

/** A request the REST layer itself rejects before reaching the service, with its status. */
public final class RestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;

    public RestException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public static RestException badRequest(String message) {
        return new RestException(HttpStatus.BAD_REQUEST, message);
    }

    public static RestException notFound(String message) {
        return new RestException(HttpStatus.NOT_FOUND, message);
    }

    public HttpStatus status() {
        return status;
    }
}
