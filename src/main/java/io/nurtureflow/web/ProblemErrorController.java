package io.nurtureflow.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page, as an RFC 7807 problem instead of Spring Boot's own error body: it answers
 * what the servlet container refused before any handler ran (a malformed URL, say) and what a
 * filter threw (a login checked while the database is down is a 503). Asked for directly, with
 * no error behind it, it is a page that does not exist.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("${server.error.path:${error.path:/error}}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		ProblemDetail problem;
		if (code == null && failure == null) {
			problem = ProblemHandler.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such resource");
		}
		else if (failure != null && DatabaseOutage.causedBy(failure)) {
			return ProblemHandler.databaseUnavailable();
		}
		else if (BodyTooLargeException.in(failure) != null) {
			BodyTooLargeException tooLarge = BodyTooLargeException.in(failure);
			problem = ProblemHandler.problem(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large",
					HttpStatus.PAYLOAD_TOO_LARGE.getReasonPhrase(), tooLarge.getMessage());
			problem.setProperty("maxBytes", tooLarge.limit());
		}
		else {
			HttpStatus status = (code instanceof Integer value && HttpStatus.resolve(value) != null)
					? HttpStatus.resolve(value) : HttpStatus.INTERNAL_SERVER_ERROR;
			problem = status.is5xxServerError()
					? ProblemHandler.problem(status, "internal", status.getReasonPhrase(),
							"The request failed on our side; nothing a client sent caused it.")
					: ProblemHandler.problem(status, slug(status), status.getReasonPhrase(),
							"The request was refused: " + status.getReasonPhrase());
		}
		return ResponseEntity.status(problem.getStatus())
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	private static String slug(HttpStatus status) {
		return status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
	}

}
