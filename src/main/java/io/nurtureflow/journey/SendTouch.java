package io.nurtureflow.journey;

import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;
import io.nurtureflow.touch.TouchOutcome;
import io.nurtureflow.touch.TouchRequest;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;

/**
 * A sending step: reads the step's {@code content} property, hands the touch to the dispatcher
 * and leaves the outcome on the branch for the diagram to route on. The variables are local to
 * the branch's execution, so parallel branches never read each other's outcome, and transient:
 * the step's gateway and deferral timer read them in the same job, and the ledger keeps the
 * outcome for good, so writing them to the engine's tables and history would buy nothing.
 */
abstract class SendTouch implements JavaDelegate {

	/** Journey keys by process definition id; a deployed definition never changes its key. */
	private static final Map<String, String> JOURNEYS = new ConcurrentHashMap<>();

	private final TouchDispatcher touches;

	private final Channel channel;

	SendTouch(TouchDispatcher touches, Channel channel) {
		this.touches = touches;
		this.channel = channel;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String journey = JOURNEYS.computeIfAbsent(execution.getProcessDefinitionId(), (definition) -> execution
			.getProcessEngineServices()
			.getRepositoryService()
			.getProcessDefinition(definition)
			.getKey());
		TouchOutcome outcome = this.touches.dispatch(new TouchRequest(LeadNurture.leadId(execution),
				TouchKeys.next(execution), execution.getProcessInstanceId(), execution.getCurrentActivityId(), journey,
				this.channel, content(execution)));
		// a step of an earlier version's diagram ends in its own job (async after): its gateway reads
		// the outcome in the next job, so there it must be stored
		boolean sameJob = !StepProperties.asyncAfter(execution);
		TransientVariables.setLocal(execution, LeadNurture.TOUCH_STATUS,
				Variables.stringValue(outcome.status().name(), sameJob));
		TransientVariables.setLocal(execution, LeadNurture.TOUCH_DEFERRED_UNTIL, Variables
			.dateValue((outcome.deferredUntil() != null) ? Date.from(outcome.deferredUntil()) : null, sameJob));
	}

	/** The step's {@code content} property, else the piece the cadence planned. */
	private static String content(DelegateExecution execution) {
		return StepProperties.get(execution, LeadNurture.CONTENT).orElseGet(() -> {
			Object planned = execution.getVariable(LeadNurture.TOUCH_CONTENT);
			if (planned == null) {
				throw new IllegalStateException("Step " + execution.getCurrentActivityId() + " has no '"
						+ LeadNurture.CONTENT + "' property and no touch was planned");
			}
			return planned.toString();
		});
	}

}
