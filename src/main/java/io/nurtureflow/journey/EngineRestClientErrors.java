package io.nurtureflow.journey;

import java.util.regex.Pattern;

import io.nurtureflow.journey.RequestFaults.Fault;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.Response.Status.Family;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskAlreadyClaimedException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.spi.ExtendedExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.stereotype.Component;

/**
 * Answers as a client error what the engine's REST API answers 500 although the request, not the
 * server, is at fault. A request that lost a race to another change of the same task or journey
 * (two reps claiming or completing one task, a task completed while it is reassigned), or that
 * claims a task someone else has, is {@code 409 Conflict}: sent again on the task as it is now,
 * it may well work. A request on a task the engine cannot find (completed by someone else a
 * moment before) is {@code 404 Not Found}, as reading it is. A refusal the engine's REST API
 * answers 4xx when it meets it bare (a suspended task) keeps that status where a resource wrapped
 * it in a 500 ("Cannot complete task ..."), and a completion a journey's task listener refused
 * for what the form said is 400. What the request brought that the engine cannot take (a value
 * too long, a key in use, XML that does not parse, a serialized object it refuses, a value a
 * generated form's constraint refuses) is 400, or 409 for the key, as {@link RequestFaults} tells
 * them; a body that is not JSON is 400 as
 * {@link UnreadableJson} answers it. The body stays Camunda's ({@code type}, {@code message},
 * {@code code} as {@code application/json}), which Tasklist and Cockpit show, its message made to
 * say what was wrong where Camunda's does not; every other failure keeps Camunda's answer. Each
 * client error is logged here at {@code DEBUG}, without a stack trace; the engine's own entry for
 * it, at {@code ERROR} with one, is left out ({@link QuietClientErrors}).
 */
@Component
class EngineRestClientErrors implements ResourceConfigCustomizer {

	private static final Logger log = LoggerFactory.getLogger(EngineRestClientErrors.class);

	private static final ExceptionHandlerHelper CAMUNDA = ExceptionHandlerHelper.getInstance();

	/**
	 * How the engine words its refusal of a task it has no row for: completing or claiming it, reading
	 * its variables, rendering its form.
	 */
	private static final Pattern NOT_FOUND = Pattern
		.compile("(?s)Cannot find task with id .*|task .* doesn't exist: task is null|Task '.*' not found: task is null");

	EngineRestClientErrors() {
		QuietClientErrors.install();
	}

	@Override
	public void customize(ResourceConfig config) {
		config.register(new BareRefusals());
		config.register(new WrappedRefusals());
		config.register(new UnreadableJson.Syntax());
		config.register(new UnreadableJson.Content());
		config.register(new UncheckedInput());
		config.register(new QueryPaging());
	}

	/**
	 * What the engine's failure deserves where the engine's REST API answers 500, or null when
	 * that is right. Another change got there first, or the task is someone else's: 409. The task
	 * named is not there: 404. Only the engine's wording tells a missing task from another null it
	 * refuses, and that one keeps its 500, as does a null the engine tripped over in a race
	 * (which the journeys' own retries take for a collision): here it might hide a fault.
	 */
	private static Fault clientFault(ProcessEngineException ex) {
		if (Collisions.lostALock(ex) || ex instanceof TaskAlreadyClaimedException) {
			return new Fault(Status.CONFLICT, null);
		}
		if (ex instanceof NullValueException && ex.getMessage() != null && NOT_FOUND.matcher(ex.getMessage()).matches()) {
			return new Fault(Status.NOT_FOUND, null);
		}
		Fault request = RequestFaults.of(ex);
		if (request == null && refusedByTheJourney(ex)) {
			return new Fault(Status.BAD_REQUEST, null);
		}
		return request;
	}

	/**
	 * Whether the engine's REST API answers this failure of the engine with a client error, met bare
	 * or wrapped by a resource: as one of the cases above, or as Camunda answers it itself.
	 */
	static boolean answeredAsClientError(ProcessEngineException ex) {
		return clientFault(ex) != null || CAMUNDA.getStatus(ex).getFamily() == Family.CLIENT_ERROR;
	}

	/** What a 500 that a resource wrapped around the engine's failure deserves, or null when it is one. */
	private static Fault faultOf(RestException ex) {
		boolean serverError = ex.getStatus() == null || ex.getStatus() == Status.INTERNAL_SERVER_ERROR;
		if (!serverError || !(ex.getCause() instanceof ProcessEngineException cause)) {
			return null;
		}
		Fault client = clientFault(cause);
		if (client != null) {
			String message = (client.message() != null) ? wrapped(ex, cause, client.message()) : null;
			return new Fault(client.status(), message);
		}
		Status bare = CAMUNDA.getStatus(cause);
		return (bare.getFamily() == Family.CLIENT_ERROR) ? new Fault(bare, null) : null;
	}

	/**
	 * The resource's message ("Cannot instantiate process definition ...: ") with what was wrong in
	 * place of the engine's message it ends with.
	 */
	private static String wrapped(RestException ex, Exception cause, String whatWasWrong) {
		String message = String.valueOf(ex.getMessage());
		String engines = String.valueOf(cause.getMessage());
		if (!message.endsWith(engines)) {
			return whatWasWrong;
		}
		return message.substring(0, message.length() - engines.length()) + whatWasWrong;
	}

	/**
	 * Whether a task listener of the journey refused the completion for what the form said (a
	 * reassignment to someone who is no rep): the engine wraps that refusal in a failure of its
	 * own, which would answer 500.
	 */
	private static boolean refusedByTheJourney(Throwable failure) {
		return Collisions.among(failure, ReassignMissedCall.ReassignmentRefused.class::isInstance);
	}

	/** Camunda's body and media type, with the status the client's request deserves and what was wrong. */
	private static Response answer(Fault fault, Exception ex) {
		log.debug("Engine REST request answered {}: {}", fault.status().getStatusCode(), ex.getMessage());
		ExceptionDto body = CAMUNDA.fromException(ex);
		if (fault.message() != null) {
			body.setMessage(fault.message());
		}
		return Response.status(fault.status()).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
	}

	/**
	 * Taken before the engine's own mapper of the same exception, which has no priority and so
	 * Jersey's default, {@code USER}; it still answers whatever this one leaves.
	 */
	@Priority(Priorities.USER - 1)
	static final class BareRefusals implements ExtendedExceptionMapper<ProcessEngineException> {

		@Override
		public boolean isMappable(ProcessEngineException ex) {
			return clientFault(ex) != null;
		}

		@Override
		public Response toResponse(ProcessEngineException ex) {
			return answer(clientFault(ex), ex);
		}

	}

	/** The engine's failure as a resource wrapped it, "Cannot complete task ...: " before its message. */
	@Priority(Priorities.USER - 1)
	static final class WrappedRefusals implements ExtendedExceptionMapper<RestException> {

		@Override
		public boolean isMappable(RestException ex) {
			return faultOf(ex) != null;
		}

		@Override
		public Response toResponse(RestException ex) {
			return answer(faultOf(ex), ex);
		}

	}

}
