package io.nurtureflow.web;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.nurtureflow.engagement.IllegalEngagementException;
import io.nurtureflow.insights.InvalidReportRequestException;
import io.nurtureflow.lead.FieldError;
import io.nurtureflow.lead.IdempotencyKeyReusedException;
import io.nurtureflow.lead.InvalidImportException;
import io.nurtureflow.lead.InvalidLeadException;
import io.nurtureflow.lead.LeadNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal of Nurtureflow's own API as an RFC 7807 problem: a type, a title, a detail that
 * says what to fix, and for bad fields an {@code errors} list naming each one.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	static final String TYPE_BASE = "https://nurtureflow.io/problems/";

	@ExceptionHandler(InvalidLeadException.class)
	ProblemDetail invalidLead(InvalidLeadException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-lead", "Invalid lead",
				ex.errors().stream().map((e) -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
		problem.setProperty("errors", ex.errors());
		return problem;
	}

	@ExceptionHandler(InvalidImportException.class)
	ProblemDetail invalidImport(InvalidImportException ex) {
		return problem(HttpStatus.BAD_REQUEST, "invalid-import", "CSV cannot be imported", ex.getMessage());
	}

	@ExceptionHandler(IdempotencyKeyReusedException.class)
	ProblemDetail idempotencyKeyReused(IdempotencyKeyReusedException ex) {
		return problem(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key reused",
				ex.getMessage() + "; use a new key for a new request");
	}

	@ExceptionHandler(InvalidReportRequestException.class)
	ProblemDetail invalidReport(InvalidReportRequestException ex) {
		return problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", ex.getMessage());
	}

	@ExceptionHandler(IllegalEngagementException.class)
	ProblemDetail illegalEngagement(IllegalEngagementException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-engagement", "Invalid engagement",
				ex.getMessage());
		problem.setProperty("errors", List.of(new FieldError("type", ex.getMessage())));
		return problem;
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((e) -> new FieldError(e.getField(), e.getDefaultMessage()))
			.toList();
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
				errors.stream().map((e) -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@ExceptionHandler(LeadNotFoundException.class)
	ProblemDetail notFound(LeadNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", ex.getMessage());
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ProblemDetail typeMismatch(MethodArgumentTypeMismatchException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
				ex.getName() + " is not a valid value");
		problem.setProperty("errors", List.of(new FieldError(ex.getName(), "is not a valid value")));
		return problem;
	}

	@ExceptionHandler({ CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
			TransientDataAccessException.class })
	ResponseEntity<ProblemDetail> unavailable(Exception ex) {
		log.warn("Database unavailable: {}", ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
					"The database cannot be reached; nothing was stored. Retry later."));
	}

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex) {
		log.error("Request failed", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
				"The request failed on our side; nothing a client sent caused it.");
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "unreadable-body", "Unreadable request body",
				"The body is not valid JSON for this request");
		Throwable cause = ex.getCause();
		if (cause instanceof UnrecognizedPropertyException unknown) {
			FieldError error = new FieldError(path(unknown), "is not a known field");
			problem.setDetail(error.field() + " " + error.message());
			problem.setProperty("errors", List.of(error));
		}
		else if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
			FieldError error = new FieldError(path((JsonMappingException) cause), "has the wrong type");
			problem.setDetail(error.field() + " " + error.message());
			problem.setProperty("errors", List.of(error));
		}
		else if (cause instanceof JsonParseException parse) {
			problem.setDetail("Malformed JSON at line " + parse.getLocation().getLineNr() + ", column "
					+ parse.getLocation().getColumnNr());
		}
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	/** Problems for requests no handler took (415, 405, ...) are problem+json too, whatever was negotiated. */
	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
			WebRequest request) {
		HttpHeaders problemHeaders = new HttpHeaders();
		problemHeaders.addAll(headers);
		problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return super.createResponseEntity(body, problemHeaders, statusCode, request);
	}

	private static String path(JsonMappingException ex) {
		String path = ex.getPath()
			.stream()
			.map((ref) -> (ref.getFieldName() != null) ? ref.getFieldName() : "[" + ref.getIndex() + "]")
			.collect(Collectors.joining("."))
			.replace(".[", "[");
		return path.isEmpty() ? "body" : path;
	}

	static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		return problem;
	}

}
