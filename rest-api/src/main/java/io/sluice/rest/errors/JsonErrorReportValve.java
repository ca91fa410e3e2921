package io.sluice.rest.errors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for requests rejected before any servlet sees them (an encoded {@code /} or
 * a control character in the path, a malformed request line): Kafka Connect's JSON error body
 * instead of Tomcat's HTML page. Installed on the host by {@link
 * io.sluice.rest.RestApiAutoConfiguration}. Stateless.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable failure) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String message = "HTTP " + status + (known == null ? "" : " " + known.getReasonPhrase())
                + (status == 400 ? ": the request line or path is malformed" : "");
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            OutputStream out = response.getOutputStream();
            out.write(ErrorBody.json(new ErrorBody(status, message)).getBytes(StandardCharsets.UTF_8));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was committed meanwhile: nothing more to send
        }
    }
}
