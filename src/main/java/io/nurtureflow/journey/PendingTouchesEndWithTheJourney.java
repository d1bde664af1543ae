package io.nurtureflow.journey;

import java.util.UUID;

import io.nurtureflow.touch.TouchDispatcher;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * When a journey ends, the touches of it still waiting for their next try (a send that failed,
 * whose job would have tried again) are settled in the ledger: an exit or an erasure deletes the
 * job, and a touch left pending would count against the frequency cap for a week and show as
 * pending for good. Added to every process, as an end listener, whatever its diagram says.
 */
@Component
class PendingTouchesEndWithTheJourney extends AbstractProcessEnginePlugin {

	/** Looked up when a journey ends: the dispatcher's channels need beans built after the engine. */
	private final ObjectProvider<TouchDispatcher> touches;

	PendingTouchesEndWithTheJourney(ObjectProvider<TouchDispatcher> touches) {
		this.touches = touches;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		ExecutionListener ended = (execution) -> {
			UUID lead = lead(execution.getProcessBusinessKey());
			if (lead != null) {
				this.touches.getObject().journeyEnded(lead, execution.getProcessInstanceId());
			}
		};
		ParseListeners.append(configuration, new AbstractBpmnParseListener() {

			@Override
			public void parseProcess(Element element, ProcessDefinitionEntity definition) {
				// built in: it runs also when a journey is deleted skipping custom listeners (Cockpit)
				definition.addBuiltInListener(ExecutionListener.EVENTNAME_END, ended);
			}

		});
	}

	/** A journey's business key is its lead's id; any other process has none to settle. */
	private static UUID lead(String businessKey) {
		if (businessKey == null) {
			return null;
		}
		try {
			return UUID.fromString(businessKey);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
