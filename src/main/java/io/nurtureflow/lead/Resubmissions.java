package io.nurtureflow.lead;

import java.time.Instant;

import org.springframework.stereotype.Component;

/**
 * What a known lead's new submission adds to it: the details it lacked. Nothing it knew is
 * overwritten: a form may be typed by anyone who knows the email.
 */
@Component
class Resubmissions {

	private final LeadRepository leads;

	Resubmissions(LeadRepository leads) {
		this.leads = leads;
	}

	/**
	 * Takes in what the submission adds to the lead, whose row the caller holds; returns the lead
	 * as stored now.
	 */
	Lead takeIn(Lead known, NewLead submitted, String origin, Instant now) {
		Lead filled = known.filledFrom(submitted);
		if (filled.equals(known)) {
			return known;
		}
		this.leads.updateDetails(filled, now);
		if (known.interests().isEmpty()) {
			this.leads.addInterests(known.id(), filled.interests());
		}
		return this.leads.findById(known.id()).orElseThrow();
	}

}
