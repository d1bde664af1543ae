package io.nurtureflow.lead;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What intake needs from the journeys, implemented where the engine lives. Starting a journey
 * joins the caller's transaction, so a lead and its journey commit or roll back together.
 */
public interface Journeys {

	/**
	 * Starts the lead-nurture journey for a lead; its business key is the lead id. The journey's
	 * first steps are queued as jobs, so this returns as soon as they are.
	 */
	ActiveJourney startLeadNurture(UUID leadId);

	/** Whether any journey is running for the lead. */
	boolean isInJourney(UUID leadId);

	List<ActiveJourney> activeJourneys(UUID leadId);

	/**
	 * Ends the lead's journeys through their "disqualified" exit.
	 * @throws org.springframework.dao.ConcurrencyFailureException if a journey was changed at
	 * the same moment; the caller's transaction is then to be rolled back and may run again
	 */
	void disqualify(UUID leadId, String reason);

	/**
	 * Ends the lead's customer journeys through their "churned" exit, whose step marks the lead
	 * {@code CHURNED}. A customer journey drawn before that exit existed has no event to end it by:
	 * it is cancelled, with "churned: " and the reason as the reason its history keeps, and marks
	 * nothing.
	 * @throws org.springframework.dao.ConcurrencyFailureException as {@link #disqualify}
	 */
	void churn(UUID leadId, String reason);

	/**
	 * Ends the lead's journeys through their "deleted" exit, before the lead is erased, and
	 * erases the values their history kept (variables, comments, attachments, reasons, the operation
	 * log's values); the steps they took, and who did what to them, stay.
	 * @throws org.springframework.dao.ConcurrencyFailureException as {@link #disqualify}
	 */
	void forget(UUID leadId);

	/**
	 * One running journey of a lead.
	 *
	 * @param journey the journey's key, e.g. {@code lead-nurture}
	 * @param instanceId the process instance, as Cockpit shows it
	 * @param startedAt when the journey began
	 * @param waitingAt the steps it waits at now
	 */
	record ActiveJourney(String journey, String instanceId, Instant startedAt, List<String> waitingAt) {
	}

}
