package io.nurtureflow.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.nurtureflow.engagement.EventIdReusedException;
import io.nurtureflow.engagement.IllegalEngagementException;
import io.nurtureflow.insights.InvalidReportRequestException;
import io.nurtureflow.lead.FieldError;
import io.nurtureflow.lead.IdempotencyKeyReusedException;
import io.nurtureflow.lead.InvalidImportException;
import io.nurtureflow.lead.InvalidLeadException;
import io.nurtureflow.lead.LeadIsCustomerException;
import io.nurtureflow.lead.LeadIsNotCustomerException;
import io.nurtureflow.lead.LeadNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.MethodParameter;
import org.springframework.dao.ConcurrencyFailureException;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
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
	ResponseEntity<ProblemDetail> invalidLead(InvalidLeadException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-lead", "Invalid lead",
				ex.errors().stream().map((e) -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
		problem.setProperty("errors", ex.errors());
		return respond(problem);
	}

	@ExceptionHandler(InvalidImportException.class)
	ResponseEntity<ProblemDetail> invalidImport(InvalidImportException ex) {
		return respond(problem(HttpStatus.BAD_REQUEST, "invalid-import", "CSV cannot be imported", ex.getMessage()));
	}

	@ExceptionHandler(IdempotencyKeyReusedException.class)
	ResponseEntity<ProblemDetail> idempotencyKeyReused(IdempotencyKeyReusedException ex) {
		return respond(problem(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key reused",
				ex.getMessage() + "; use a new key for a new request"));
	}

	@ExceptionHandler(InvalidReportRequestException.class)
	ResponseEntity<ProblemDetail> invalidReport(InvalidReportRequestException ex) {
		return respond(problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", ex.getMessage()));
	}

	@ExceptionHandler(IllegalEngagementException.class)
	ResponseEntity<ProblemDetail> illegalEngagement(IllegalEngagementException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-engagement", "Invalid engagement",
				ex.getMessage());
		problem.setProperty("errors", List.of(new FieldError(ex.field(), ex.getMessage())));
		return respond(problem);
	}

	@ExceptionHandler(EventIdReusedException.class)
	ResponseEntity<ProblemDetail> eventIdReused(EventIdReusedException ex) {
		ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_ENTITY, "event-id-reused", "eventId reused",
				ex.getMessage() + "; give each event an id of its own");
		problem.setProperty("errors", List.of(new FieldError("eventId", ex.getMessage())));
		return respond(problem);
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
	ResponseEntity<ProblemDetail> notFound(LeadNotFoundException ex) {
		return respond(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", ex.getMessage()));
	}

	@ExceptionHandler(LeadIsCustomerException.class)
	ResponseEntity<ProblemDetail> leadIsCustomer(LeadIsCustomerException ex) {
		return respond(problem(HttpStatus.CONFLICT, "lead-is-customer", "Lead is a customer", ex.getMessage()));
	}

	@ExceptionHandler(LeadIsNotCustomerException.class)
	ResponseEntity<ProblemDetail> leadIsNotCustomer(LeadIsNotCustomerException ex) {
		return respond(problem(HttpStatus.CONFLICT, "lead-not-customer", "Lead is not a customer", ex.getMessage()));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
				ex.getName() + " is not a valid value");
		problem.setProperty("errors", List.of(new FieldError(ex.getName(), "is not a valid value")));
		return respond(problem);
	}

	/** A chunked body that passed its limit while a handler read it (see {@link BodySizeLimitFilter}). */
	@ExceptionHandler(BodyTooLargeException.class)
	ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException ex) {
		return respond(tooLarge(ex));
	}

	private static ProblemDetail tooLarge(BodyTooLargeException ex) {
		ProblemDetail problem = problem(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large",
				HttpStatus.PAYLOAD_TOO_LARGE.getReasonPhrase(), ex.getMessage());
		problem.setProperty("maxBytes", ex.limit());
		return problem;
	}

	/**
	 * Another change to the same data held its rows past every attempt (a lock timeout, a
	 * deadlock, the journey engine's optimistic lock): the request's transaction was rolled back
	 * and it may be sent again.
	 */
	@ExceptionHandler(ConcurrencyFailureException.class)
	ResponseEntity<ProblemDetail> busy(ConcurrencyFailureException ex) {
		log.warn("Request met a concurrent change and gave up: {}", ex.getMessage());
		return retryAfter(1, problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Busy",
				"Another change to the same lead was under way; this one was not made. Retry it."));
	}

	@ExceptionHandler({ CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
			TransientDataAccessException.class })
	ResponseEntity<ProblemDetail> unavailable(Exception ex) {
		log.warn("Database unavailable: {}", ex.getMessage());
		return databaseUnavailable();
	}

	/**
	 * 503 with {@code Retry-After}: the same request may well work in a moment. Whether it was
	 * stored cannot always be known (the connection may break during the commit), so a client
	 * that must not send twice sends an {@code Idempotency-Key}.
	 */
	static ResponseEntity<ProblemDetail> databaseUnavailable() {
		return retryAfter(5, problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
				"The database cannot be reached. Retry later, with the same Idempotency-Key if you sent one."));
	}

	private static ResponseEntity<ProblemDetail> retryAfter(int seconds, ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus())
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(seconds))
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	/** A multipart body that cannot be parsed: no boundary, a wrong one, cut short. Too large is 413 (handled above). */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ProblemDetail> unreadableMultipart(MultipartException ex) {
		return respond(problem(HttpStatus.BAD_REQUEST, "unreadable-body", "Unreadable request body",
				"The multipart body cannot be read: check its boundary and that it is complete"));
	}

	/** A request parameter, header or path value that breaks a constraint declared on the handler. */
	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldError> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> new FieldError(name(result.getMethodParameter()), error.getDefaultMessage())))
			.toList();
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
				errors.stream().map((e) -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	private static String name(MethodParameter parameter) {
		RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
		if (param != null && !param.name().isEmpty()) {
			return param.name();
		}
		RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
		if (header != null && !header.name().isEmpty()) {
			return header.name();
		}
		String name = parameter.getParameterName();
		return (name != null) ? name : "parameter " + parameter.getParameterIndex();
	}

	/** Anything else is our fault, unless the database went away under the request (see {@link DatabaseOutage}). */
	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		if (DatabaseOutage.causedBy(ex)) {
			return unavailable(ex);
		}
		log.error("Request failed", ex);
		return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
				"The request failed on our side; nothing a client sent caused it."));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		BodyTooLargeException tooLarge = BodyTooLargeException.in(ex);
		if (tooLarge != null) {
			return handleExceptionInternal(ex, tooLarge(tooLarge), headers, HttpStatus.PAYLOAD_TOO_LARGE, request);
		}
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "unreadable-body", "Unreadable request body",
				"The body is not valid JSON for this request");
		Throwable cause = ex.getCause();
		if (causedBy(ex, StreamConstraintsException.class)) {
			problem.setDetail("The JSON is nested deeper than " + LimitsConfiguration.MAX_JSON_NESTING
					+ " levels or holds a text or number longer than this API reads");
		}
		else if (cause instanceof UnrecognizedPropertyException unknown) {
			FieldError error = new FieldError(path(unknown), "is not a known field");
			problem.setDetail(error.field() + " " + error.message());
			problem.setProperty("errors", List.of(error));
		}
		else if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
			FieldError error = new FieldError(path((JsonMappingException) cause), "has the wrong type");
			problem.setDetail(error.field() + " " + error.message());
			problem.setProperty("errors", List.of(error));
		}
		else if (cause instanceof JsonParseException parse && parse.getLocation() != null) {
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
		if (body instanceof ProblemDetail problem && URI.create("about:blank").equals(problem.getType())
				&& HttpStatus.resolve(statusCode.value()) != null) {
			String reason = HttpStatus.resolve(statusCode.value()).getReasonPhrase();
			problem.setType(URI.create(TYPE_BASE + reason.toLowerCase(Locale.ROOT).replace(' ', '-')));
		}
		return super.createResponseEntity(body, problemHeaders, statusCode, request);
	}

	private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static String path(JsonMappingException ex) {
		String path = ex.getPath()
			.stream()
			.map((ref) -> (ref.getFieldName() != null) ? ref.getFieldName() : "[" + ref.getIndex() + "]")
			.collect(Collectors.joining("."))
			.replace(".[", "[");
		return path.isEmpty() ? "body" : path;
	}

	/**
	 * With its content type set, so that the problem is written whatever the client's
	 * {@code Accept} header says (or whether it can be read at all).
	 */
	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		return problem;
	}

}
