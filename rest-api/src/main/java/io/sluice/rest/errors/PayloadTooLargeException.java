package io.sluice.rest.errors;

import java.io.IOException;

/**
 * Thrown from a request body stream once it passes the size cap; an {@link IOException} so that it
 * travels through the JSON parser and reaches {@link RestExceptionHandler} as the cause of a read
 * failure.
 */
public final class PayloadTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(long limit) {
        super("Request body is larger than the limit of " + limit + " bytes");
    }
}
