package io.nurtureflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;

import org.springframework.stereotype.Component;

/**
 * {@code ${planNextTouch}}: takes the next step of the configured cadence and leaves its channel,
 * content piece and wait for the diagram, or says the cadence is done.
 */
@Component("planNextTouch")
class PlanNextTouch implements JavaDelegate {

	static final String STEP = "cadenceStep";

	private final JourneyProperties properties;

	PlanNextTouch(JourneyProperties properties) {
		this.properties = properties;
	}

	@Override
	public void execute(DelegateExecution execution) {
		Object current = execution.getVariable(STEP);
		int step = (current instanceof Number number) ? number.intValue() : 0;
		boolean done = step >= this.properties.cadence().size();
		// read by the next gateway in this transaction only
		TransientVariables.set(execution, LeadNurture.CADENCE_DONE, Variables.booleanValue(done, true));
		if (done) {
			return;
		}
		JourneyProperties.CadenceStep next = this.properties.cadence().get(step);
		execution.setVariable(LeadNurture.TOUCH_CHANNEL, next.channel());
		execution.setVariable(LeadNurture.TOUCH_CONTENT, next.content());
		execution.setVariable(LeadNurture.TOUCH_WAIT, next.waitFor());
		execution.setVariable(STEP, step + 1);
	}

}
