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

	/**
	 * What became of a branch's last touch ({@code SENT}, {@code DEFERRED}, ...), local to the
	 * branch and transient: the step's gateway reads it in the step's own job.
	 */
	public static final String TOUCH_STATUS = "touchStatus";

	/** When a deferred touch may go, local to the branch and transient; the deferral timer waits for it. */
	public static final String TOUCH_DEFERRED_UNTIL = "touchDeferredUntil";

	/** Prefix of the per-step touch counters, the last part of each touch's idempotency key. */
	public static final String TOUCH_SEQUENCE = "touchSequence";

	public static final String TASK_SCORE_LEAD = "Task_ScoreLead";

	/** The lead's first call, the only call task with the call SLA's timer (speed to lead). */
	public static final String TASK_CALL_NEW_LEAD = "Task_CallNewLead";

	/** Every later call: a retry after no answer, or the call on a follow-up date. No SLA timer. */
	public static final String TASK_CALL_LEAD_AGAIN = "Task_CallLeadAgain";

	/** The managers' task when a new lead's call is not made within the SLA. */
	public static final String TASK_ESCALATE_MISSED_SLA = "Task_EscalateMissedSla";

	public static final String TASK_SEND_ACKNOWLEDGEMENT = "Task_SendAcknowledgement";

	public static final String TASK_SEND_ACKNOWLEDGEMENT_SMS = "Task_SendAcknowledgementSms";

	/** What the manager did about a missed call SLA, from the escalation form. */
	public static final String ESCALATION_ACTION = "escalationAction";

	/** The escalation form's answer that hands the open call to another rep. */
	public static final String REASSIGNED = "reassigned";

	/** Whom the manager hands the open call to: a rep's user id, a variable of the escalation task only. */
	public static final String REASSIGN_TO = "reassignTo";

	/** The form field the rep answers on a call task. */
	public static final String CALL_OUTCOME = "callOutcome";

	/** How many call tasks (first call and calls again) the journey has created for the lead. */
	public static final String CALL_ATTEMPTS = "callAttempts";

	public static final String FOLLOW_UP_DATE = "followUpDate";

	public static final String REFERRAL_NAME = "referralName";

	public static final String REFERRAL_EMAIL = "referralEmail";

	/** The qualification form's verdict. */
	public static final String QUALIFIED = "qualified";

	/** The score the journey last read, and its band (COLD, WARM, MQL, SQL). */
	public static final String LEAD_SCORE = "leadScore";

	public static final String SCORE_BAND = "scoreBand";

	public static final String FIT_GRADE = "fitGrade";

	/** The next cadence touch, planned by {@code ${planNextTouch}}. */
	public static final String TOUCH_CHANNEL = "touchChannel";

	public static final String TOUCH_CONTENT = "touchContent";

	public static final String TOUCH_WAIT = "touchWait";

	public static final String CADENCE_DONE = "cadenceDone";

	/** The stage a {@code ${setLeadStage}} step sets, an extension property of the step. */
	public static final String STAGE = "stage";

	public static final String RENEWAL_DATE = "renewalDate";

	/**
	 * The check-in form's "Needs a follow-up" box: ticked, customer success gets the same task
	 * again after {@code nurture.journey.check-in-follow-up}.
	 */
	public static final String NEEDS_FOLLOW_UP = "needsFollowUp";

	public static final String CUSTOMER_PROCESS_KEY = "customer-nurture";

	/** Where the customer journey ends when the customer tells the renewal call it is not renewing. */
	public static final String END_NOT_RENEWING = "EndEvent_NotRenewing";

	/** Exits every journey has, as messages its event subprocesses start on. */
	public static final String MESSAGE_UNSUBSCRIBED_EVERYWHERE = "LeadUnsubscribedEverywhere";

	public static final String MESSAGE_DISQUALIFIED = "LeadDisqualified";

	public static final String MESSAGE_DELETED = "LeadDeleted";

	/** The customer journey's exit for a customer who left mid-contract; lead journeys have none. */
	public static final String MESSAGE_CHURNED = "LeadChurned";

	public static final String EXIT_REASON = "exitReason";

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
