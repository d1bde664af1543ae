package io.nurtureflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Idempotency keys for touches: process instance, step, and how often this step has made a
 * touch in this journey. The count is a process variable per step, so only the step itself moves
 * it: a failed attempt rolls its increment back and the retry computes the same key, while a
 * step visited again (a loop) gets a new one. A count shared by all steps would not do: another
 * branch could commit an increment between an attempt and its retry. Activity instance ids
 * cannot serve either: an async step gets a new one on every retry.
 */
final class TouchKeys {

	private TouchKeys() {
	}

	static String next(DelegateExecution execution) {
		String step = execution.getCurrentActivityId();
		String counter = LeadNurture.TOUCH_SEQUENCE + "_" + step;
		Object current = execution.getVariable(counter);
		int sequence = ((current instanceof Number number) ? number.intValue() : 0) + 1;
		execution.getProcessInstance().setVariable(counter, sequence);
		return execution.getProcessInstanceId() + ":" + step + ":" + sequence;
	}

}
