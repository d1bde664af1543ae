package io.nurtureflow.journey;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a page of a query that no database can give: {@code firstResult} or {@code maxResults}
 * negative, or not a whole number at all. Camunda hands a negative one to the database, which
 * refuses it ({@code 500}, "An exception occurred in the persistence layer"), and Jersey answered
 * one that is no number {@code 404}, as if the resource did not exist. Both are {@code 400} here,
 * in Camunda's body, saying which parameter and what it may be. An empty one is no page asked for,
 * as Camunda takes it.
 */
@Priority(Priorities.USER)
final class QueryPaging implements ContainerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(EngineRestClientErrors.class);

	private static final List<String> PARAMETERS = List.of("firstResult", "maxResults");

	/** A whole number Java's {@code int} holds, from 0: at most ten digits, checked for size after. */
	private static final Pattern WHOLE = Pattern.compile("\\d{1,10}");

	@Override
	public void filter(ContainerRequestContext request) {
		for (String parameter : PARAMETERS) {
			for (String value : request.getUriInfo().getQueryParameters().getOrDefault(parameter, List.of())) {
				if (!value.isEmpty() && !(WHOLE.matcher(value).matches() && Long.parseLong(value) <= Integer.MAX_VALUE)) {
					String message = parameter + " must be a whole number from 0 to " + Integer.MAX_VALUE;
					log.debug("Engine REST request answered 400: {}", message);
					request.abortWith(Response.status(Status.BAD_REQUEST)
						.entity(ExceptionHandlerHelper.getInstance()
							.fromException(new InvalidRequestException(Status.BAD_REQUEST, message)))
						.type(MediaType.APPLICATION_JSON_TYPE)
						.build());
					return;
				}
			}
		}
	}

}
