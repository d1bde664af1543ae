package io.nurtureflow.lead;

/** Where a lead stands in the funnel. */
public enum LeadStage {

	NEW, CONTACTED, ENGAGED, MQL, SQL, CUSTOMER, UNSUBSCRIBED, DISQUALIFIED

}
