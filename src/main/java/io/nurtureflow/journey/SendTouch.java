package io.nurtureflow.journey;

import java.util.Date;

import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;
import io.nurtureflow.touch.TouchOutcome;
import io.nurtureflow.touch.TouchRequest;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * A sending step: reads the step's {@code content} property, hands the touch to the dispatcher
 * and leaves the outcome on the branch for the diagram to route on. The variables are local to
 * the branch's execution, so parallel branches never read each other's outcome.
 */
abstract class SendTouch implements JavaDelegate {

	private final TouchDispatcher touches;

	private final Channel channel;

	SendTouch(TouchDispatcher touches, Channel channel) {
		this.touches = touches;
		this.channel = channel;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String journey = execution.getProcessEngineServices()
			.getRepositoryService()
			.getProcessDefinition(execution.getProcessDefinitionId())
			.getKey();
		TouchOutcome outcome = this.touches.dispatch(new TouchRequest(LeadNurture.leadId(execution),
				TouchKeys.next(execution), execution.getProcessInstanceId(), execution.getCurrentActivityId(), journey,
				this.channel, content(execution)));
		execution.setVariableLocal(LeadNurture.TOUCH_STATUS, outcome.status().name());
		execution.setVariableLocal(LeadNurture.TOUCH_DEFERRED_UNTIL,
				(outcome.deferredUntil() != null) ? Date.from(outcome.deferredUntil()) : null);
	}

	private static String content(DelegateExecution execution) {
		BaseElement step = execution.getBpmnModelElementInstance();
		if (step.getExtensionElements() != null) {
			for (CamundaProperty property : step.getExtensionElements()
				.getElementsQuery()
				.filterByType(org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties.class)
				.list()
				.stream()
				.flatMap((properties) -> properties.getCamundaProperties().stream())
				.toList()) {
				if (LeadNurture.CONTENT.equals(property.getCamundaName())) {
					return property.getCamundaValue();
				}
			}
		}
		throw new IllegalStateException("Step " + execution.getCurrentActivityId() + " has no '" + LeadNurture.CONTENT
				+ "' property naming the content piece to send");
	}

}
