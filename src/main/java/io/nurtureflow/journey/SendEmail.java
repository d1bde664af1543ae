package io.nurtureflow.journey;

import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;
import io.nurtureflow.touch.TouchRequest;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

import org.springframework.stereotype.Component;

/** {@code ${sendEmail}}: sends the step's content piece to the lead by email. */
@Component("sendEmail")
class SendEmail implements JavaDelegate {

	private final TouchDispatcher touches;

	SendEmail(TouchDispatcher touches) {
		this.touches = touches;
	}

	@Override
	public void execute(DelegateExecution execution) {
		String content = (String) execution.getVariable(LeadNurture.CONTENT);
		if (content == null) {
			throw new IllegalStateException("Step " + execution.getCurrentActivityId() + " names no "
					+ LeadNurture.CONTENT + " input parameter");
		}
		String journey = execution.getProcessEngine()
			.getRepositoryService()
			.getProcessDefinition(execution.getProcessDefinitionId())
			.getKey();
		this.touches.dispatch(new TouchRequest(LeadNurture.leadId(execution), TouchKeys.next(execution),
				execution.getProcessInstanceId(), execution.getCurrentActivityId(), journey, Channel.EMAIL, content));
	}

}
