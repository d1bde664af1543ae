package io.nurtureflow.web;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's last word on an error, as an RFC 7807 problem instead of its HTML page: what the
 * container refuses before the application could map the request (an encoded slash or a
 * malformed escape in the URL, a character a query may not hold). Everything that reaches the
 * application is answered by {@link ProblemErrorController} or {@link ProblemHandler} first, so
 * this writes only when nothing else did.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		HttpStatus known = HttpStatus.resolve(status);
		String title = (known != null) ? known.getReasonPhrase() : "Error";
		Map<String, Object> problem = new LinkedHashMap<>();
		boolean ours = status >= 500;
		problem.put("type", ProblemHandler.TYPE_BASE
				+ (ours ? "internal" : title.toLowerCase(Locale.ROOT).replace(' ', '-')));
		problem.put("title", title);
		problem.put("status", status);
		problem.put("detail", ours ? "The request failed on our side; nothing a client sent caused it."
				: "The server refused the request before reading it: check the URL and headers");
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(JSON.writeValueAsString(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone or the response was taken; there is no one left to tell
		}
	}

}
