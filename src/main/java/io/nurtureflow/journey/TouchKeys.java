package io.nurtureflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Idempotency keys for touches: process instance, step and the journey's touch count. The count
 * is a process variable, so it is rolled back with a failed job and a retry computes the same
 * key again, while a step visited twice (a loop) gets a new one. Activity instance ids cannot
 * serve: an async step gets a new one on every retry.
 */
final class TouchKeys {

	private TouchKeys() {
	}

	static String next(DelegateExecution execution) {
		Object current = execution.getVariable(LeadNurture.TOUCH_SEQUENCE);
		int sequence = ((current instanceof Number number) ? number.intValue() : 0) + 1;
		execution.getProcessInstance().setVariable(LeadNurture.TOUCH_SEQUENCE, sequence);
		return execution.getProcessInstanceId() + ":" + execution.getCurrentActivityId() + ":" + sequence;
	}

}
