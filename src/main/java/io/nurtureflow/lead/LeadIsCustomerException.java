package io.nurtureflow.lead;

import java.util.UUID;

/**
 * Disqualifying is sales' verdict on a lead; a customer is past it, and its customer journey has no
 * "disqualified" exit. Says what ends a customer's story instead.
 */
public class LeadIsCustomerException extends RuntimeException {

	public LeadIsCustomerException(UUID id) {
		super("Lead " + id + " is a customer: disqualifying is for leads and would leave its customer journey running."
				+ " A customer who is leaving is recorded as churned (POST /api/leads/" + id + "/churn),"
				+ " or on the renewal call as not renewing;"
				+ " to stop its emails and SMS, put its address on the do-not-contact list (POST /api/suppressions);"
				+ " to erase it, DELETE /api/leads/" + id);
	}

}
