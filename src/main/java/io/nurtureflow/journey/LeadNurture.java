package io.nurtureflow.journey;

import java.util.UUID;

import org.camunda.bpm.engine.delegate.VariableScope;

/** Names shared by {@code bpmn/lead-nurture.bpmn} and the code that drives it. */
public final class LeadNurture {

	public static final String PROCESS_KEY = "lead-nurture";

	/** The lead the journey is for; also its business key. */
	public static final String LEAD_ID = "leadId";

	/** The content piece a sending step sends, an extension property of the step. */
	public static final String CONTENT = "content";

	/** What became of a branch's last touch ({@code SENT}, {@code DEFERRED}, ...), local to the branch. */
	public static final String TOUCH_STATUS = "touchStatus";

	/** When a deferred touch may go, local to the branch; the deferral timer waits for it. */
	public static final String TOUCH_DEFERRED_UNTIL = "touchDeferredUntil";

	/** Prefix of the per-step touch counters, the last part of each touch's idempotency key. */
	public static final String TOUCH_SEQUENCE = "touchSequence";

	public static final String TASK_CALL_NEW_LEAD = "Task_CallNewLead";

	public static final String TASK_SEND_ACKNOWLEDGEMENT = "Task_SendAcknowledgement";

	public static final String TASK_SEND_ACKNOWLEDGEMENT_SMS = "Task_SendAcknowledgementSms";

	/** The form field the rep answers on a call task. */
	public static final String CALL_OUTCOME = "callOutcome";

	private LeadNurture() {
	}

	static UUID leadId(VariableScope scope) {
		Object id = scope.getVariable(LEAD_ID);
		if (id == null) {
			throw new IllegalStateException("Journey has no " + LEAD_ID + " variable");
		}
		return UUID.fromString(id.toString());
	}

}
