package io.nurtureflow.journey;

import io.nurtureflow.journey.RequestFaults.Fault;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.InvalidRequestException;
import org.glassfish.jersey.spi.ExtendedExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers as a client error a {@link NullPointerException} that Camunda raises, for want of a
 * check, on what a request brought: the Tasklist's read of the form of a task that does not exist
 * (completed a moment before by another rep) is 404, as reading the task is; a date in the query
 * string of Cockpit's process instance query, which that query cannot read (it parses dates
 * without the mapper it needs), is 400. Each is recognised by the method of Camunda that tripped,
 * so a null pointer anywhere else keeps its 500: it is a fault of the server.
 */
@Priority(Priorities.USER - 1)
final class UncheckedInput implements ExtendedExceptionMapper<NullPointerException> {

	private static final Logger log = LoggerFactory.getLogger(EngineRestClientErrors.class);

	private static final ExceptionHandlerHelper CAMUNDA = ExceptionHandlerHelper.getInstance();

	/** The deployed form's command asks for the permission on a task it did not find. */
	private static final String DEPLOYED_FORM = "org.camunda.bpm.engine.impl.GetDeployedTaskFormCmd.checkAuthorization";

	/** Cockpit's query parameters read a date with a converter it gave no object mapper. */
	private static final String QUERY_DATE = "org.camunda.bpm.engine.rest.dto.converter.JacksonAwareStringToTypeConverter.mapToType";

	/** How far down the stack the method that tripped is looked for: past the checks it called. */
	private static final int FRAMES = 4;

	/** What the request deserves, or null when the null pointer may be the server's fault. */
	static Fault of(NullPointerException ex) {
		StackTraceElement[] frames = ex.getStackTrace();
		for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
			String method = frames[i].getClassName() + "." + frames[i].getMethodName();
			if (method.equals(DEPLOYED_FORM)) {
				return new Fault(Status.NOT_FOUND, "Cannot find the task: it does not exist, or it was completed");
			}
			if (i == 0 && method.equals(QUERY_DATE)) {
				return new Fault(Status.BAD_REQUEST,
						"This query cannot read a date from its query string: send the query as JSON in a POST");
			}
		}
		return null;
	}

	@Override
	public boolean isMappable(NullPointerException ex) {
		return of(ex) != null;
	}

	@Override
	public Response toResponse(NullPointerException ex) {
		Fault fault = of(ex);
		log.debug("Engine REST request answered {}: {}", fault.status().getStatusCode(), fault.message());
		return Response.status(fault.status())
			.entity(CAMUNDA.fromException(new InvalidRequestException(fault.status(), fault.message())))
			.type(MediaType.APPLICATION_JSON_TYPE)
			.build();
	}

}
