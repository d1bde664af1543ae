package io.nurtureflow.journey;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.InvalidRequestException;
import org.glassfish.jersey.spi.ExtendedExceptionMapper;

/**
 * Answers a request to the engine's REST API whose JSON body Jackson could not read. Jersey's
 * Jackson feature and Camunda each bring a mapper of these failures, and which of the two answers
 * is left to chance: Jersey's in {@code text/plain}, Camunda's in its own body, with an empty
 * message. This one answers Camunda's body ({@code InvalidRequestException}, as Camunda's mapper
 * does) saying where the JSON went wrong; it names a line and column or a field, never echoes the
 * body.
 */
final class UnreadableJson {

	private static final ExceptionHandlerHelper CAMUNDA = ExceptionHandlerHelper.getInstance();

	private UnreadableJson() {
	}

	private static Response answer(Exception ex, String message) {
		return Response.status(Status.BAD_REQUEST)
			.entity(CAMUNDA.fromException(new InvalidRequestException(Status.BAD_REQUEST, ex, message)))
			.type(MediaType.APPLICATION_JSON_TYPE)
			.build();
	}

	/** The body is not JSON: it breaks off, or has something that is not JSON in it. */
	@Priority(Priorities.USER - 1)
	static final class Syntax implements ExceptionMapper<JsonParseException> {

		@Override
		public Response toResponse(JsonParseException ex) {
			JsonLocation at = ex.getLocation();
			String where = (at != null) ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "";
			return answer(ex, "The body is not valid JSON" + where);
		}

	}

	/**
	 * The body is JSON, but a value in it does not fit the field it is for (an object for a text,
	 * a number out of range). Only a failure of reading is the request's: one of writing an answer
	 * (its processor a generator), or of Jackson's set-up of a type, is the server's.
	 */
	@Priority(Priorities.USER - 1)
	static final class Content implements ExtendedExceptionMapper<JsonMappingException> {

		@Override
		public boolean isMappable(JsonMappingException ex) {
			return ex.getProcessor() instanceof JsonParser && !(ex instanceof InvalidDefinitionException);
		}

		@Override
		public Response toResponse(JsonMappingException ex) {
			StringBuilder field = new StringBuilder();
			for (JsonMappingException.Reference step : ex.getPath()) {
				if (step.getFieldName() != null) {
					field.append(field.isEmpty() ? "" : ".").append(step.getFieldName());
				}
				else if (step.getIndex() >= 0) {
					field.append('[').append(step.getIndex()).append(']');
				}
			}
			String where = field.isEmpty() ? "" : " at '" + field + "'";
			return answer(ex, "The body's JSON does not fit the request" + where);
		}

	}

}
