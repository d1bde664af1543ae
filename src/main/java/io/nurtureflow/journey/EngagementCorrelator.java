package io.nurtureflow.journey;

import java.util.Locale;
import java.util.UUID;

import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.engagement.JourneyEvents;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers engagement to a lead's running journeys as BPMN messages ({@code LeadClicked},
 * {@code LeadReplied}, ...), by business key. Two events for one journey at the same moment
 * collide (on the engine's optimistic lock, or on a subscription the other one took); the loser
 * runs again in a fresh transaction, so
 * neither is lost. A journey that waits for no such message simply does not take it.
 */
@Component
class EngagementCorrelator implements JourneyEvents {

	private static final Logger log = LoggerFactory.getLogger(EngagementCorrelator.class);

	static final int ATTEMPTS = 10;

	static final String ENGAGEMENT_TYPE = "engagementType";

	static final String ENGAGEMENT_DETAIL = "engagementDetail";

	private final RuntimeService runtime;

	private final TransactionTemplate transaction;

	private final CustomerJourney customers;

	EngagementCorrelator(RuntimeService runtime, TransactionTemplate transaction, CustomerJourney customers) {
		this.runtime = runtime;
		this.transaction = transaction;
		this.customers = customers;
	}

	@Override
	public void engaged(UUID leadId, EngagementType type, String detail) {
		boolean taken = correlate(leadId, messageName(type), type.name(), detail);
		if (!taken && type == EngagementType.CONVERTED) {
			// a lead already handed over to sales has no journey left to take it
			this.transaction.executeWithoutResult((status) -> this.customers.start(leadId));
		}
	}

	@Override
	public void unsubscribedEverywhere(UUID leadId) {
		correlate(leadId, LeadNurture.MESSAGE_UNSUBSCRIBED_EVERYWHERE, null, null);
	}

	/** Returns whether any journey took the message. */
	private boolean correlate(UUID leadId, String message, String type, String detail) {
		for (int attempt = 1;; attempt++) {
			try {
				return Boolean.TRUE.equals(this.transaction.execute((status) -> {
					var correlation = this.runtime.createMessageCorrelation(message)
						.processInstanceBusinessKey(leadId.toString());
					if (type != null) {
						correlation.setVariable(ENGAGEMENT_TYPE, type).setVariable(ENGAGEMENT_DETAIL, detail);
					}
					return !correlation.correlateAllWithResult().isEmpty();
				}));
			}
			catch (ProcessEngineException ex) {
				if (!collided(ex)) {
					throw ex;
				}
				if (attempt == ATTEMPTS) {
					log.error("Could not deliver {} to the journeys of lead {} after {} attempts; the event is stored",
							message, leadId, ATTEMPTS, ex);
					return false;
				}
				log.debug("{} for lead {} met a concurrent change; attempt {} runs again", message, leadId, attempt);
				pause(attempt);
			}
		}
	}

	/**
	 * Two events racing for one journey: the loser either hits the optimistic lock or finds the
	 * subscription it saw already taken. Either way a fresh attempt sees the journey as it is now.
	 */
	private static boolean collided(ProcessEngineException ex) {
		return ex instanceof OptimisticLockingException
				|| (ex.getMessage() != null && ex.getMessage().contains("does not have a subscription"));
	}

	/** {@code CLICKED} becomes {@code LeadClicked}, {@code SMS_REPLIED} becomes {@code LeadSmsReplied}. */
	static String messageName(EngagementType type) {
		StringBuilder name = new StringBuilder("Lead");
		for (String word : type.name().split("_")) {
			name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
		}
		return name.toString();
	}

	private static void pause(int attempt) {
		try {
			Thread.sleep(Math.min(200, 10L * attempt * attempt));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
