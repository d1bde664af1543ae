package io.nurtureflow.lead;

/** Where a lead stands in the funnel. */
public enum LeadStage {

	NEW, CONTACTED, ENGAGED, MQL, SQL, CUSTOMER,

	/** A customer who told the renewal call it is not renewing: its customer journey ended there. */
	CHURNED,

	UNSUBSCRIBED, DISQUALIFIED

}
