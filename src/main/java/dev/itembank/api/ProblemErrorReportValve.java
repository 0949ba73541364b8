package dev.itembank.api;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report for requests it refuses before any servlet sees them (a path whose percent-encoded bytes are
 * not UTF-8, such as {@code /api/v1/api-keys/%FF}, headers over Tomcat's limit, a malformed Host): an RFC 9457
 * problem like every other answer of the service, in
 * place of Tomcat's HTML page. Tomcat's own message is left out: it may quote the undecodable request.
 * {@link TomcatPaths} installs it as the host's error report valve (Tomcat makes it by class name).
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail = status == 400 ? "The request could not be read: its request line or headers are malformed or "
                + "too large, or its path holds percent-encoded bytes that are not UTF-8."
                : "The request was refused before it reached the API.";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                // the status Tomcat set, also where the registry has no type of its own for it
                writer.write(JSON.writeValueAsString(Problems.asMap(type, detail, null, Map.of("status", status))));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client has gone or the response was committed: nothing more to say
        }
    }
}
