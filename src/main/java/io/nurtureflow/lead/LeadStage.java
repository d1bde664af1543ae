package io.nurtureflow.lead;

/** Where a lead stands in the funnel. */
public enum LeadStage {

	NEW, CONTACTED, ENGAGED, MQL, SQL, CUSTOMER,

	/** A customer who told the renewal call it is not renewing: its customer journey ended there. */
	CHURNED,

	UNSUBSCRIBED, DISQUALIFIED;

	/**
	 * Whether the lead left the funnel here: it withdrew from every channel, sales gave up on it, or
	 * as a customer it left. One that comes back with a new lead journey (a form, a list with
	 * something new) is a lead again; when and how it left stays in its history.
	 */
	boolean leftTheFunnel() {
		return this == UNSUBSCRIBED || this == DISQUALIFIED || this == CHURNED;
	}

}
