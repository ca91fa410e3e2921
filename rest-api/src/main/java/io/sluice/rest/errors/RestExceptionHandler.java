package io.sluice.rest.errors;

import io.sluice.core.service.AlreadyExistsException;
import io.sluice.core.service.BadRequestException;
import io.sluice.core.service.ConflictException;
import io.sluice.core.service.ConnectorServiceException;
import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.UnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure of a request into Kafka Connect's error body with the matching status: the
 * service's typed exceptions, unreadable bodies (400, saying where), unknown paths (404), wrong
 * methods (405), media types (406/415) and oversized bodies (413). Anything unexpected is logged
 * once and answered 500 with a generic message, never a stack trace. Stateless.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RestExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RestExceptionHandler.class);

    @ExceptionHandler(ConnectorServiceException.class)
    ResponseEntity<String> service(ConnectorServiceException e) {
        HttpStatus status;
        if (e instanceof NotFoundException) {
            status = HttpStatus.NOT_FOUND;
        } else if (e instanceof AlreadyExistsException || e instanceof ConflictException) {
            status = HttpStatus.CONFLICT;
        } else if (e instanceof UnavailableException) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
        } else {
            status = HttpStatus.BAD_REQUEST;
        }
        List<BadRequestException.FieldError> fields =
                e instanceof BadRequestException bad ? bad.fieldErrors() : List.of();
        return body(status, e.getMessage(), fields);
    }

    @ExceptionHandler(RestException.class)
    ResponseEntity<String> rest(RestException e) {
        return body(e.status(), e.getMessage(), List.of());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<String> unreadable(HttpMessageNotReadableException e) {
        PayloadTooLargeException tooLarge = JsonReadErrors.find(e, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return body(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), List.of());
        }
        return body(HttpStatus.BAD_REQUEST, JsonReadErrors.describe(e), List.of());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<String> tooLarge(MaxUploadSizeExceededException e) {
        return body(HttpStatus.PAYLOAD_TOO_LARGE, "Request body is too large", List.of());
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<String> notFound(Exception e, HttpServletRequest request) {
        return body(HttpStatus.NOT_FOUND, "HTTP 404 Not Found: no endpoint at " + request.getRequestURI(), List.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        String allowed = e.getSupportedHttpMethods() == null
                ? ""
                : "; allowed: "
                        + e.getSupportedHttpMethods().stream()
                                .map(Object::toString)
                                .sorted()
                                .collect(Collectors.joining(", "));
        return body(
                HttpStatus.METHOD_NOT_ALLOWED,
                "HTTP 405 Method Not Allowed: " + e.getMethod() + " is not supported on " + request.getRequestURI()
                        + allowed,
                List.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e) {
        String given = e.getContentType() == null ? "none" : e.getContentType().toString();
        return body(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "HTTP 415 Unsupported Media Type: send the body as application/json (Content-Type was " + given + ")",
                List.of());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<String> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return body(
                HttpStatus.NOT_ACCEPTABLE,
                "HTTP 406 Not Acceptable: this endpoint answers application/json",
                List.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<String> argumentType(MethodArgumentTypeMismatchException e) {
        String expected = JsonReadErrors.typeName(e.getRequiredType());
        return body(
                HttpStatus.BAD_REQUEST,
                "Invalid value '" + e.getValue() + "' for '" + e.getName() + "': expected " + expected,
                List.of());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<String> missingParameter(MissingServletRequestParameterException e) {
        return body(HttpStatus.BAD_REQUEST, "Query parameter '" + e.getParameterName() + "' is required", List.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e, HttpServletRequest request) throws Exception {
        if (e instanceof org.springframework.web.ErrorResponse standard) {
            // any other Spring MVC request failure (all 4xx): keep its status, not its internals
            HttpStatus status = HttpStatus.resolve(standard.getStatusCode().value());
            if (status != null && status.is4xxClientError()) {
                return body(status, "HTTP " + status.value() + " " + status.getReasonPhrase(), List.of());
            }
        }
        LOG.error("Unexpected failure in {} {}", request.getMethod(), request.getRequestURI(), e);
        return body(
                HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error; the worker log has the details", List.of());
    }

    /**
     * The error as JSON text: written as a string so that it goes out even when the client's
     * {@code Accept} header asked for something else.
     */
    static ResponseEntity<String> body(HttpStatus status, String message, List<BadRequestException.FieldError> fields) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBody.json(new ErrorBody(status.value(), message, fields)));
    }
}
