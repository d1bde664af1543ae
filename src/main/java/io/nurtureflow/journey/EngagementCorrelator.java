package io.nurtureflow.journey;

import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.nurtureflow.engagement.EngagementType;
import io.nurtureflow.engagement.JourneyEvents;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers engagement to a lead's running journeys as BPMN messages ({@code LeadClicked},
 * {@code LeadReplied}, ...), by business key. Two events for one journey at the same moment
 * collide (see {@link Collisions}); the loser runs again in a fresh transaction, so neither is
 * lost. A journey that waits for no such message simply does not take it.
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
		HandledCollisions.install();
	}

	/**
	 * Delivers the engagement's message in a transaction that first runs {@code claim} (nothing
	 * is delivered if it answers false) and, when the lead has no channel left, then ends its
	 * journeys through their exit; a conversion no journey took starts the customer journey.
	 */
	@Override
	public void engaged(UUID leadId, EngagementType type, String detail, boolean unreachable, BooleanSupplier claim) {
		String message = messageName(type);
		for (int attempt = 1;; attempt++) {
			try {
				HandledCollisions.handledBy(() -> this.transaction.executeWithoutResult((status) -> {
					if (!claim.getAsBoolean()) {
						log.debug("{} for lead {} was delivered before", message, leadId);
						return;
					}
					boolean taken = deliver(message, leadId, Variables.createVariables()
						.putValue(ENGAGEMENT_TYPE, type.name())
						.putValue(ENGAGEMENT_DETAIL, detail));
					if (unreachable) {
						// no channel left: every journey of the lead ends through its exit
						deliver(LeadNurture.MESSAGE_UNSUBSCRIBED_EVERYWHERE, leadId, Variables.createVariables());
					}
					else if (!taken && type == EngagementType.CONVERTED) {
						// a lead already handed over to sales has no journey left to take it
						this.customers.start(leadId);
					}
				}));
				return;
			}
			catch (RuntimeException ex) {
				if (!Collisions.collided(ex)) {
					throw ex;
				}
				if (attempt == ATTEMPTS) {
					log.warn("Could not deliver {} to the journeys of lead {} after {} attempts; the event stays "
							+ "stored and untold, and the next redelivery tells them", message, leadId, ATTEMPTS, ex);
					return;
				}
				log.debug("{} for lead {} met a concurrent change; attempt {} runs again", message, leadId, attempt);
				pause(attempt);
			}
		}
	}

	/** Delivers the message to every journey of the lead waiting for it; answers whether one was. */
	private boolean deliver(String message, UUID leadId, VariableMap variables) {
		return !this.runtime.createMessageCorrelation(message)
			.processInstanceBusinessKey(leadId.toString())
			.setVariables(variables)
			.correlateAllWithResult()
			.isEmpty();
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
