package io.nurtureflow.lead;

import java.util.UUID;

/**
 * Churn is a customer leaving; a lead that never bought (or is past being a customer: unsubscribed
 * everywhere, disqualified) has no customer journey to end. Says what ends a lead's story instead.
 */
public class LeadIsNotCustomerException extends RuntimeException {

	public LeadIsNotCustomerException(UUID id, LeadStage stage) {
		super("Lead " + id + " is at stage " + stage + ", not a customer: only a customer (stage CUSTOMER) churns."
				+ " A lead sales gave up on is disqualified (POST /api/leads/" + id + "/disqualify);"
				+ " to stop its emails and SMS, put its address on the do-not-contact list (POST /api/suppressions)");
	}

}
