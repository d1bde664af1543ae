package io.nurtureflow.journey;

import java.sql.SQLException;

import jakarta.ws.rs.core.Response.Status;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXParseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engine REST's mappers leave to Camunda's 500 although it looks like a client error
 * they answer: the same kind of failure where the server, not the request, may be at fault. The
 * request's side of each is in {@link EngineRestBadInputScenarios}.
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

	private static ProcessEngineException persistenceFailure(SQLException refusal) {
		return new ProcessEngineException("An exception occurred in the persistence layer.", refusal);
	}

}
