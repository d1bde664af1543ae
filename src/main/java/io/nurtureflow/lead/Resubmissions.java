package io.nurtureflow.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.nurtureflow.lead.LeadConsent.ConsentChannel;

import org.springframework.stereotype.Component;

/**
 * What a known lead's new submission adds to it: the details it lacked, and consent it gives
 * now. Nothing it knew is overwritten and no consent is taken back: a form may be typed by anyone
 * who knows the email, and withdrawal is the unsubscribe link's and STOP's to make. For the same
 * reason a form never gives back a channel the lead withdrew: SMS START does that for SMS, and
 * for email the lead is asked at its own address ({@link EmailResubscriptions}).
 */
@Component
class Resubmissions {

	private static final String CONSENT_SOURCE = "submitted again: ";

	private final LeadRepository leads;

	private final LeadConsent consent;

	private final DoNotContactList doNotContact;

	private final EmailResubscriptions resubscriptions;

	Resubmissions(LeadRepository leads, LeadConsent consent, DoNotContactList doNotContact,
			EmailResubscriptions resubscriptions) {
		this.leads = leads;
		this.consent = consent;
		this.doNotContact = doNotContact;
		this.resubscriptions = resubscriptions;
	}

	/**
	 * Takes in what the submission adds to the lead, whose row the caller holds; returns the lead
	 * as stored now.
	 */
	Lead takeIn(Lead known, NewLead submitted, String origin, Instant now) {
		Lead filled = known.filledFrom(submitted);
		boolean changed = !filled.equals(known);
		if (changed) {
			this.leads.updateDetails(filled, now);
			if (known.interests().isEmpty()) {
				this.leads.addInterests(known.id(), filled.interests());
			}
		}
		for (ConsentChannel channel : consentTicked(filled, submitted)) {
			if (!this.consent.everWithdrawn(known.id(), channel)) {
				changed |= this.consent.set(known.id(), channel, true, CONSENT_SOURCE + origin);
			}
			else if (channel == ConsentChannel.EMAIL) {
				this.resubscriptions.ask(filled, CONSENT_SOURCE + origin, now);
			}
		}
		return changed ? this.leads.findById(known.id()).orElseThrow() : known;
	}

	/**
	 * The channels the submission ticks that the lead has no consent for yet. None while
	 * the lead's email or phone is on the do-not-contact list. SMS consent ticked beside another
	 * number than the one kept is not for that number.
	 */
	private List<ConsentChannel> consentTicked(Lead lead, NewLead submitted) {
		List<ConsentChannel> asked = new ArrayList<>();
		if (submitted.consentEmail() && !lead.consentEmail()) {
			asked.add(ConsentChannel.EMAIL);
		}
		if (submitted.consentSms() && !lead.consentSms()
				&& (submitted.phone() == null || submitted.phone().equals(lead.phone()))) {
			asked.add(ConsentChannel.SMS);
		}
		if (asked.isEmpty() || this.doNotContact.containsAny(lead.email(), lead.phone())) {
			return List.of();
		}
		return asked;
	}

}
