package io.nurtureflow.journey;

import java.io.IOException;
import java.io.StringWriter;
import java.sql.SQLException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.type.TypeFactory;
import jakarta.ws.rs.core.Response.Status;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXParseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engine REST's mappers leave to Camunda's 500 (or Jersey's answer) although it looks
 * like a client error they answer: the same kind of failure where the server, not the request,
 * may be at fault. The request's side of each is in {@link EngineRestBadInputScenarios}.
 */
class EngineRestServerFaultsTest {

	private final EngineRestClientErrors.BareRefusals bare = new EngineRestClientErrors.BareRefusals();

	private final EngineRestClientErrors.WrappedRefusals wrapped = new EngineRestClientErrors.WrappedRefusals();

	/** As two transactions inserting one variable, or nodes of a misconfigured cluster making one id. */
	@Test
	void aUniqueViolationOutsideTheServicesThatTakeTheCallersKeysStaysAServerError() {
		ProcessEngineException duplicate = persistenceFailure(new SQLException("duplicate key", "23505"));

		assertThat(this.bare.isMappable(duplicate)).isFalse();
		assertThat(this.wrapped.isMappable(new RestException(Status.INTERNAL_SERVER_ERROR, duplicate,
				"Cannot instantiate process definition lead-nurture:1:1: " + duplicate.getMessage())))
			.isFalse();
	}

	/** As the engine reading a diagram again that it stored long ago. */
	@Test
	void xmlThatDoesNotParseOutsideADeploymentStaysAServerError() {
		ProcessEngineException unparsable = new ProcessEngineException("ENGINE-09003 Could not parse 'lead.bpmn'.",
				new SAXParseException("Premature end of file.", null));

		assertThat(this.bare.isMappable(unparsable)).isFalse();
	}

	@Test
	void aFailureOfTheEngineThatNamesNoFaultOfTheRequestStaysAServerError() {
		String diagramFault = "ENGINE-02004 No outgoing sequence flow for the element with id 'Gateway_Engaged'";
		assertThat(this.bare.isMappable(new ProcessEngineException(diagramFault))).isFalse();
		assertThat(this.bare.isMappable(persistenceFailure(new SQLException("connection refused", "08001")))).isFalse();
	}

	/** Writing an answer the server made, or a type Jackson cannot be set up for, is the server's. */
	@Test
	void jsonThatJacksonCouldNotWriteOrWasNotSetUpForIsNotTheRequestsFault() throws IOException {
		UnreadableJson.Content content = new UnreadableJson.Content();
		JsonFactory json = new JsonFactory();
		try (JsonGenerator answer = json.createGenerator(new StringWriter());
				JsonParser request = json.createParser("{}")) {
			assertThat(content.isMappable(JsonMappingException.from(answer, "cannot write"))).isFalse();
			assertThat(content.isMappable(InvalidDefinitionException.from(request, "no creator",
					TypeFactory.defaultInstance().constructType(Object.class))))
				.isFalse();
			assertThat(content.isMappable(JsonMappingException.from(request, "not a text"))).isTrue();
		}
	}

	private static ProcessEngineException persistenceFailure(SQLException refusal) {
		return new ProcessEngineException("An exception occurred in the persistence layer.", refusal);
	}

}
