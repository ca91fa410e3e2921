package io.sluice.rest.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page for failures that never reached a controller (rejected by the servlet container
 * or a filter): answers Kafka Connect's error body instead of Spring Boot's default one. Replaces
 * Boot's {@code BasicErrorController}. Stateless.
 */
@RestController
public class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<String> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            // /error requested directly: there is no such endpoint
            return RestExceptionHandler.body(
                    HttpStatus.NOT_FOUND, "HTTP 404 Not Found: no endpoint at " + request.getRequestURI(), List.of());
        }
        HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null
                ? HttpStatus.resolve(i)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        String message = status == HttpStatus.PAYLOAD_TOO_LARGE
                ? "Request body is too large"
                : "HTTP " + status.value() + " " + status.getReasonPhrase();
        return RestExceptionHandler.body(status, message, List.of());
    }
}
